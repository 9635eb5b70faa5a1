/**
 * The key-rotation procedure as checks on the services' live state:
 * publish the next public key, switch the signer, wait the token lifetime,
 * retire the old public key. Each step is reversible until the last.
 *
 * @module
 */

/** What one service reports at `/admin/version/`. */
export interface ServiceKeys {
  service: string;
  url: string;
  /** The kids it accepts; `undefined` when unreachable. */
  kids?: string[];
  /** The kid it signs with (users only). */
  signingKid?: string | null;
  error?: string;
}

/** The rotation's phases. */
export type Phase = "publish" | "switch" | "retire";

/** The outcome of checking a phase's precondition. */
export type Readiness = { ready: true } | { ready: false; reasons: string[] };

/** Whether a phase may start, given every service's keys. */
export function readyFor(
  phase: Phase,
  services: ServiceKeys[],
  next: string,
): Readiness {
  const reasons: string[] = [];
  for (const s of services) {
    if (!s.kids) {
      reasons.push(
        `${s.service} is unreachable at ${s.url}: ${s.error ?? "no answer"}`,
      );
      continue;
    }
    if (phase !== "publish" && !s.kids.includes(next)) {
      reasons.push(
        `${s.service} does not accept the new key yet (kids: ${
          s.kids.join(", ")
        })`,
      );
    }
    if (
      phase === "retire" && s.signingKid !== undefined && s.signingKid !== next
    ) {
      reasons.push(`${s.service} still signs with '${s.signingKid}'`);
    }
  }
  return reasons.length === 0 ? { ready: true } : { ready: false, reasons };
}

/** Whether a phase has taken effect everywhere. */
export function isDone(
  phase: Phase,
  services: ServiceKeys[],
  next: string,
  old: string,
): boolean {
  return services.every((s) => {
    if (!s.kids) return false;
    if (phase === "publish") return s.kids.includes(next);
    if (phase === "switch") {
      return s.signingKid === undefined || s.signingKid === next;
    }
    return !s.kids.includes(old) && s.kids.includes(next);
  });
}

/** The files of Secret `thoughts-secrets` in each phase. */
export function secretFiles(
  phase: Phase,
  current: { password: string; privateKey: string; publicKey: string },
  next: { privateKey: string; publicKey: string },
): Record<string, string> {
  const files: Record<string, string> = {
    "postgres-password": current.password,
  };
  if (phase === "publish") {
    return {
      ...files,
      "private_key.pem": current.privateKey,
      "public_key.pub": current.publicKey,
      "public_key_next.pub": next.publicKey,
    };
  }
  if (phase === "switch") {
    return {
      ...files,
      "private_key.pem": next.privateKey,
      "public_key.pub": current.publicKey,
      "public_key_next.pub": next.publicKey,
    };
  }
  return {
    ...files,
    "private_key.pem": next.privateKey,
    "public_key.pub": next.publicKey,
  };
}

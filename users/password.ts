/**
 * Password hashing: PBKDF2-HMAC-SHA256 through Web Crypto, at OWASP's
 * recommended 600,000 iterations, with a 16-byte random salt. The stored
 * form names its parameters, so the cost can rise without breaking old hashes.
 *
 * @module
 */

/** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
export const DEFAULT_ITERATIONS = 600_000;

/** Hashes and verifies passwords. */
export interface PasswordHasher {
  /** Hashes a password with a fresh salt. */
  hash(password: string): Promise<string>;
  /** Checks a password against a stored hash, in time independent of where they differ. */
  verify(password: string, stored: string): Promise<boolean>;
}

const encoder = new TextEncoder();

async function derive(
  password: string,
  salt: Uint8Array,
  iterations: number,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(password),
    "PBKDF2",
    false,
    [
      "deriveBits",
    ],
  );
  const bits = await crypto.subtle.deriveBits(
    {
      name: "PBKDF2",
      hash: "SHA-256",
      salt: salt as Uint8Array<ArrayBuffer>,
      iterations,
    },
    key,
    256,
  );
  return new Uint8Array(bits);
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  }
  return diff === 0;
}

/**
 * Creates a PBKDF2 hasher. Stored form: `pbkdf2-sha256$<iterations>$<salt>$<hash>`.
 *
 * @param iterations The cost of new hashes; tests lower it for speed.
 * @returns The hasher.
 * @example Usage
 * ```ts
 * import { pbkdf2Hasher } from "./password.ts";
 *
 * const hasher = pbkdf2Hasher();
 * const stored = await hasher.hash("correct horse");
 * await hasher.verify("correct horse", stored); // true
 * ```
 */
export function pbkdf2Hasher(
  iterations: number = DEFAULT_ITERATIONS,
): PasswordHasher {
  return {
    async hash(password) {
      const salt = crypto.getRandomValues(new Uint8Array(16));
      const hash = await derive(password, salt, iterations);
      return `pbkdf2-sha256$${iterations}$${salt.toBase64()}$${hash.toBase64()}`;
    },
    async verify(password, stored) {
      const [scheme, cost, salt, hash] = stored.split("$");
      if (scheme !== "pbkdf2-sha256" || !cost || !salt || !hash) return false;
      const actual = await derive(
        password,
        Uint8Array.fromBase64(salt),
        Number(cost),
      );
      return constantTimeEqual(actual, Uint8Array.fromBase64(hash));
    },
  };
}

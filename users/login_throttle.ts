/**
 * Brute-force protection for logins, after OWASP's device cookies and
 * Keycloak's brute-force detection, with its counters in the database so
 * every replica shares them and a restart keeps them.
 *
 * A stranger (no valid device token for the account) is counted per
 * account, or per unknown name, and per source address: past the free
 * failures each further one locks the counter for a wait that doubles up to
 * a maximum. A client holding a device token for the account skips those
 * locks and has a small budget of its own, so no stranger can lock the owner
 * out; past it, the device is a stranger again. Only a password actually
 * checked and wrong counts: a check that never ran counts nothing.
 *
 * @module
 */

import type {
  CheckOutcome,
  ThrottleKey,
  ThrottleRule,
  ThrottleStore,
} from "./store.ts";

/** The limits of {@linkcode createLoginThrottle}. */
export interface ThrottleLimits {
  /** Failures strangers may have on one account (or unknown name) before it locks for them. */
  accountFailures: number;
  /** Failures one source may have, over any accounts, before it locks. */
  clientFailures: number;
  /** Failures a trusted device may have before it counts as a stranger. */
  deviceFailures: number;
  /** The first lock, in seconds; each further failure doubles it. */
  lockSeconds: number;
  /** The longest lock, in seconds; also how long failures are remembered. */
  maxLockSeconds: number;
  /** Counters kept for unknown names, and for sources, each. */
  maxRows: number;
}

/** Who is trying: the device, if it holds a token for the account; the account or name; the source. */
export interface LoginSubject {
  /** The device's id, when its token vouches for this account. */
  device?: string;
  /** The account's id, when the name exists. */
  account?: number;
  /** The name's comparison key. */
  name: string;
  /** The client's source address. */
  source: string;
}

/** A password check the throttle admitted. */
export interface Check {
  /** Whether it runs on a trusted device's budget. */
  trusted: boolean;
  /** Ends it: counts a wrong password, clears on a right one. */
  end(outcome: CheckOutcome): Promise<void>;
}

/** A login refused before any password was checked. */
export class LoginLockedError extends Error {
  /** Why the login was refused. */
  readonly code = "locked";
  /** Seconds until it may be tried again. */
  readonly wait: number;

  /**
   * Creates the error.
   *
   * @param wait Seconds until it may be tried again.
   */
  constructor(wait: number) {
    super(
      `Too many failed logins; try again in ${wait} second${
        wait === 1 ? "" : "s"
      }`,
    );
    this.name = "LoginLockedError";
    this.wait = wait;
  }
}

/** Starts password checks, or refuses them. */
export interface LoginThrottle {
  /**
   * Starts a check: the device's budget if it has one left, else the
   * stranger's counters.
   *
   * @throws {LoginLockedError} When every way in is locked.
   */
  begin(subject: LoginSubject, now: Date): Promise<Check>;
}

/** New counters of unknown names and sources between two prunes, per process. */
const PRUNE_EVERY = 64;

/**
 * IPv6 clients are counted by their /64 network: one host owns a whole one.
 * IPv4-mapped addresses count as IPv4.
 */
function sourceKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(":")) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${
    groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")
  }::/64`;
}

/**
 * Creates the throttle over the database's counters.
 *
 * @param store The counters.
 * @param limits The limits.
 * @returns The throttle.
 * @example Usage
 * ```ts
 * import { openPglite } from "@thoughts/shared/store";
 * import { createLoginThrottle } from "./login_throttle.ts";
 * import { createUsersStore } from "./store.ts";
 *
 * const db = await openPglite();
 * const store = await createUsersStore(db);
 * const throttle = createLoginThrottle(store.throttle, {
 *   accountFailures: 1, clientFailures: 20, deviceFailures: 5,
 *   lockSeconds: 30, maxLockSeconds: 900, maxRows: 10_000,
 * });
 * const now = new Date();
 * const stranger = { name: "ada", account: 1, source: "203.0.113.9" };
 * await (await throttle.begin(stranger, now)).end("wrong");
 * await throttle.begin(stranger, now).catch((error) => error.wait); // 30
 * await db.close();
 * ```
 */
export function createLoginThrottle(
  store: ThrottleStore,
  limits: ThrottleLimits,
): LoginThrottle {
  const rule = (free: number): ThrottleRule => ({
    free,
    lockSeconds: limits.lockSeconds,
    maxLockSeconds: limits.maxLockSeconds,
  });
  const t: Counters = {
    store,
    limits,
    rules: {
      account: rule(limits.accountFailures),
      name: rule(limits.accountFailures),
      source: rule(limits.clientFailures),
      device: rule(limits.deviceFailures),
    },
    created: 0,
  };
  return {
    async begin(subject, now) {
      let deviceWait = Infinity;
      if (subject.device !== undefined) {
        const device = { scope: "device", key: subject.device } as const;
        const result = await beginAll(t, [device], now);
        if ("begun" in result) return checkOf(t, result.begun, true, now);
        deviceWait = result.wait;
      }
      const stranger: ThrottleKey[] = [
        subject.account === undefined
          ? { scope: "name", key: subject.name }
          : { scope: "account", key: String(subject.account) },
        { scope: "source", key: sourceKey(subject.source) },
      ];
      const result = await beginAll(t, stranger, now);
      if ("begun" in result) return checkOf(t, result.begun, false, now);
      throw new LoginLockedError(Math.min(deviceWait, result.wait));
    },
  };
}

// A throttle's state: its counters, rules, and the rows it made since it
// last pruned.
interface Counters {
  store: ThrottleStore;
  limits: ThrottleLimits;
  rules: Record<ThrottleKey["scope"], ThrottleRule>;
  created: number;
}

// Begins every key, or none: a refusal gives back the ones begun.
async function beginAll(
  t: Counters,
  keys: ThrottleKey[],
  now: Date,
): Promise<{ begun: ThrottleKey[] } | { wait: number }> {
  const begun: ThrottleKey[] = [];
  for (const key of keys) {
    const result = await t.store.begin(key, t.rules[key.scope], now);
    if (!result.admitted) {
      for (const done of begun) {
        await t.store.end(done, "unchecked", t.rules[done.scope], now);
      }
      return { wait: result.wait };
    }
    begun.push(key);
    if (result.created && (key.scope === "name" || key.scope === "source")) {
      t.created++;
    }
  }
  return { begun };
}

function checkOf(
  t: Counters,
  begun: ThrottleKey[],
  trusted: boolean,
  now: Date,
): Check {
  return {
    trusted,
    async end(outcome) {
      for (const key of begun) {
        // A right password clears an account's or device's failures, never
        // a source's: an attacker's own account must not wash its source.
        const counted = outcome === "right" && key.scope === "source"
          ? "unchecked"
          : outcome;
        await t.store.end(key, counted, t.rules[key.scope], now);
      }
      if (t.created >= PRUNE_EVERY) {
        t.created = 0;
        await prune(t, now);
      }
    },
  };
}

// Unknown names and sources are kept to `maxRows` each; accounts' and
// devices' rows only until they expire.
async function prune(t: Counters, now: Date): Promise<void> {
  for (const scope of ["name", "source", "account", "device"] as const) {
    const keep = scope === "name" || scope === "source"
      ? t.limits.maxRows
      : 2 ** 31 - 1;
    await t.store.prune(scope, keep, t.limits.maxLockSeconds, now);
  }
}

/**
 * Brute-force protection for logins, after Keycloak's brute-force detection:
 * failures are counted per account and per client; past a number of free
 * failures each further one locks the key for a wait that doubles up to a
 * maximum. Counts are forgotten after the longest wait without a failure.
 *
 * @module
 */

/** The limits of {@linkcode memoryLoginThrottle}. */
export interface ThrottleLimits {
  /** Failures an account may have before it is locked. */
  accountFailures: number;
  /** Failures a client may have, over any accounts, before it is locked. */
  clientFailures: number;
  /** The first lock, in seconds; each further failure doubles it. */
  lockSeconds: number;
  /** The longest lock, in seconds; also how long a count is remembered. */
  maxLockSeconds: number;
}

/**
 * Counts login attempts and says how long a caller must wait. An attempt
 * counts as failed from its start, so concurrent guesses cannot all slip in
 * before the first one fails; a success takes that back.
 */
export interface LoginThrottle {
  /**
   * Starts an attempt: the seconds until the account and the client may try
   * again, counting nothing, or 0 after counting a failure against both.
   */
  attempt(account: string, client: string, now: Date): number;
  /** Takes back the attempt's failure and forgets the account's others. */
  succeeded(account: string, client: string): void;
  /** Takes back the attempt's failure only: the password was never checked. */
  cancel(account: string, client: string): void;
}

interface Counter {
  failures: number;
  lockedUntil: number;
  last: number;
}

/**
 * A throttle kept in this process's memory, holding at most `maxKeys`
 * counters (the oldest are dropped first), so a flood of made-up names
 * cannot grow it without bound.
 *
 * @param limits The limits.
 * @param maxKeys The most counters kept.
 * @returns The throttle.
 * @example Usage
 * ```ts
 * import { memoryLoginThrottle } from "./login_throttle.ts";
 *
 * const throttle = memoryLoginThrottle({ accountFailures: 2, clientFailures: 10, lockSeconds: 30, maxLockSeconds: 900 });
 * const now = new Date(0);
 * throttle.attempt("ada", "10.0.0.1", now); // 0
 * throttle.attempt("ada", "10.0.0.1", now); // 0, and now locked
 * throttle.attempt("ada", "10.0.0.2", now); // 30
 * ```
 */
export function memoryLoginThrottle(
  limits: ThrottleLimits,
  maxKeys = 100_000,
): LoginThrottle {
  const counters = new Map<string, Counter>();
  const current = (key: string, now: number) => {
    const counter = counters.get(key);
    if (counter && now - counter.last > limits.maxLockSeconds * 1000) {
      counters.delete(key);
      return undefined;
    }
    return counter;
  };
  const remaining = (key: string, now: number) =>
    Math.max(
      0,
      Math.ceil(((current(key, now)?.lockedUntil ?? 0) - now) / 1000),
    );
  const count = (key: string, free: number, now: number) => {
    const counter = current(key, now) ??
      { failures: 0, lockedUntil: 0, last: 0 };
    counters.delete(key); // re-inserted last: the Map's order is by recency
    counter.failures++;
    counter.last = now;
    if (counter.failures >= free) {
      const lock = Math.min(
        limits.lockSeconds * 2 ** (counter.failures - free),
        limits.maxLockSeconds,
      );
      counter.lockedUntil = now + lock * 1000;
    }
    counters.set(key, counter);
    while (counters.size > maxKeys) {
      counters.delete(counters.keys().next().value!);
    }
  };
  const takeBack = (key: string, free: number) => {
    const counter = counters.get(key);
    if (counter && --counter.failures < free) counter.lockedUntil = 0;
  };
  return {
    attempt(account, client, now) {
      const at = now.getTime();
      const wait = Math.max(
        remaining(`a:${account}`, at),
        remaining(`c:${client}`, at),
      );
      if (wait > 0) return wait;
      count(`a:${account}`, limits.accountFailures, at);
      count(`c:${client}`, limits.clientFailures, at);
      return 0;
    },
    succeeded(account, client) {
      counters.delete(`a:${account}`);
      takeBack(`c:${client}`, limits.clientFailures);
    },
    cancel(account, client) {
      takeBack(`a:${account}`, limits.accountFailures);
      takeBack(`c:${client}`, limits.clientFailures);
    },
  };
}

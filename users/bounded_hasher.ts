/**
 * A bound on concurrent password hashing: each hash costs a core for about
 * 150 ms by design, so a flood of logins would otherwise queue every real
 * one behind it.
 *
 * @module
 */

import type { PasswordHasher } from "./password.ts";

/** Raised when the hashing queue is full; the login is refused at once. */
export class HasherBusyError extends Error {
  /** Why the hash was refused. */
  readonly code = "busy";

  /** Creates the error. */
  constructor() {
    super("Too many password checks at once");
    this.name = "HasherBusyError";
  }
}

/** The bounds of {@linkcode boundedHasher}. */
export interface HashBounds {
  /** Hashes computed at once. */
  concurrency: number;
  /** Hashes waiting for a turn; one more is refused with {@linkcode HasherBusyError}. */
  queue: number;
}

/**
 * Wraps a hasher so that at most `concurrency` hashes run at once and at
 * most `queue` wait; beyond that a call fails at once.
 *
 * @param hasher The hasher.
 * @param bounds The bounds.
 * @returns The bounded hasher.
 * @example Usage
 * ```ts
 * import { boundedHasher } from "./bounded_hasher.ts";
 * import { pbkdf2Hasher } from "./password.ts";
 *
 * const hasher = boundedHasher(pbkdf2Hasher(1000), { concurrency: 1, queue: 0 });
 * const [first, second] = await Promise.allSettled([hasher.hash("a"), hasher.hash("b")]);
 * [first.status, second.status]; // ["fulfilled", "rejected"]
 * ```
 */
export function boundedHasher(
  hasher: PasswordHasher,
  bounds: HashBounds,
): PasswordHasher {
  let running = 0;
  const waiting: (() => void)[] = [];
  const limited = async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= bounds.concurrency) {
      if (waiting.length >= bounds.queue) throw new HasherBusyError();
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
  return {
    hash: (password) => limited(() => hasher.hash(password)),
    verify: (password, stored) =>
      limited(() => hasher.verify(password, stored)),
  };
}

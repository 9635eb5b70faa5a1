/**
 * Admission to password hashing. Each hash costs a core for about 150 ms by
 * design, so the service runs a few at once and queues a few more; beyond
 * that a caller is refused at once. Clients that proved themselves before
 * (a device token, the admin token) wait in a queue of their own, served
 * first, so a flood of strangers cannot starve them; and no one client may
 * hold more than a small share of either.
 *
 * @module
 */

/** Raised when a caller cannot have a turn; the request answers 503 at once. */
export class HasherBusyError extends Error {
  /** Why the turn was refused. */
  readonly code = "busy";

  /** Creates the error. */
  constructor() {
    super("Too many password checks at once");
    this.name = "HasherBusyError";
  }
}

/** The bounds of {@linkcode createHashGate}. */
export interface GateBounds {
  /** Hashes computed at once. */
  concurrency: number;
  /** Untrusted callers waiting for a turn. */
  queue: number;
  /** Trusted callers waiting for a turn; they go first. */
  trustedQueue: number;
  /** Turns one client (a source, a device) may hold or wait for at once. */
  perClient: number;
}

/** Who asks for a turn. */
export interface Ticket {
  /** Whether the caller proved itself before (device token, admin token). */
  trusted: boolean;
  /** The client's key: its source address or device. */
  client: string;
}

/** Admits callers to hashing. */
export interface HashGate {
  /**
   * Waits for a turn; the returned function gives it back.
   *
   * @throws {HasherBusyError} When the caller's queue or share is full.
   */
  enter(ticket: Ticket): Promise<() => void>;
}

/**
 * Creates a gate with the given bounds.
 *
 * @param bounds The bounds.
 * @returns The gate.
 * @example Usage
 * ```ts
 * import { createHashGate } from "./hash_gate.ts";
 *
 * const gate = createHashGate({ concurrency: 1, queue: 0, trustedQueue: 1, perClient: 1 });
 * const leave = await gate.enter({ trusted: false, client: "203.0.113.9" });
 * await gate.enter({ trusted: false, client: "198.51.100.7" }).catch((e) => e.code); // "busy"
 * const waiting = gate.enter({ trusted: true, client: "device-1" }); // queued, first in line
 * leave();
 * (await waiting)();
 * ```
 */
export function createHashGate(bounds: GateBounds): HashGate {
  let running = 0;
  const queues = {
    trusted: [] as (() => void)[],
    untrusted: [] as (() => void)[],
  };
  const held = new Map<string, number>();
  const hold = (client: string, delta: number) => {
    const count = (held.get(client) ?? 0) + delta;
    if (count > 0) held.set(client, count);
    else held.delete(client);
  };
  const next = () => {
    const waiter = queues.trusted.shift() ?? queues.untrusted.shift();
    if (waiter) waiter();
    else running--;
  };
  return {
    async enter({ trusted, client }) {
      const key = `${trusted ? "t" : "u"}:${client}`;
      if ((held.get(key) ?? 0) >= bounds.perClient) throw new HasherBusyError();
      if (running >= bounds.concurrency) {
        const queue = trusted ? queues.trusted : queues.untrusted;
        if (queue.length >= (trusted ? bounds.trustedQueue : bounds.queue)) {
          throw new HasherBusyError();
        }
        hold(key, 1);
        // The turn passes straight from the one leaving (see next()).
        await new Promise<void>((resolve) => queue.push(resolve));
      } else {
        hold(key, 1);
        running++;
      }
      let left = false;
      return () => {
        if (left) return;
        left = true;
        hold(key, -1);
        next();
      };
    },
  };
}

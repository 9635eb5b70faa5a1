/**
 * A bound on work in flight: a few at once, a few more waiting their turn,
 * and the rest refused at once, so a burst queues briefly instead of
 * piling up.
 *
 * @module
 */

/** Raised when the work can have no turn: its queue is full. */
export class BusyError extends Error {
  /** Why the work was refused. */
  readonly code = "busy";

  /** Creates the error. */
  constructor() {
    super("Too much of this work at once");
    this.name = "BusyError";
  }
}

/**
 * Creates a limit of `running` at once and `waiting` in line.
 *
 * @param bounds How many run at once, and how many may wait.
 * @returns A function that runs work within the limit.
 * @example Usage
 * ```ts
 * import { createLimit } from "@thoughts/shared/async";
 *
 * const limit = createLimit({ running: 1, waiting: 0 });
 * const slow = limit(() => new Promise((r) => setTimeout(r, 10)));
 * await limit(() => Promise.resolve()).catch((e) => e.code); // "busy"
 * await slow;
 * ```
 */
export function createLimit(
  bounds: { running: number; waiting: number },
): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (work) => {
    if (running >= bounds.running) {
      if (queue.length >= bounds.waiting) throw new BusyError();
      // The turn passes straight from the one finishing.
      await new Promise<void>((resolve) => queue.push(resolve));
    } else {
      running++;
    }
    try {
      return await work();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running--;
    }
  };
}

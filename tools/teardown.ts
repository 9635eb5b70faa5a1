/**
 * What a long task started (a throwaway cluster, servers, CPU groups),
 * undone newest first, exactly once: when the task ends, or when a signal
 * or its parent's death stops it midway. The task's own work goes on until
 * the process exits, so an error it meets then (a server it was loading is
 * gone) is the stop's doing: the stop's exit code wins over it.
 *
 * @module
 */

import { watchParent } from "./_parent_watch.ts";

/** What stops a task: a signal, or its parent's death. */
export interface Stop {
  /** The signal's name, or "its parent's exit". */
  why: string;
  /** The exit code that says so: 130 for SIGINT, 143 otherwise. */
  code: number;
  /** Whether the parent died, rather than a signal arriving. */
  parent: boolean;
}

/**
 * Tells `handle` when the task is asked to stop: SIGINT, SIGTERM, SIGHUP,
 * or the death of the process that started it (a killed terminal or CI
 * runner, which sends no signal). Every long task stops this one way.
 *
 * @param handle Called on each stop; the first is the one that counts.
 * @example Usage
 * ```ts
 * import { onStop } from "./teardown.ts";
 *
 * const stopping = new AbortController();
 * onStop(({ why }) => stopping.abort(why));
 * stopping.signal.aborted; // false
 * ```
 */
export function onStop(handle: (stop: Stop) => void): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    Deno.addSignalListener(signal, () =>
      handle({
        why: signal,
        code: signal === "SIGINT" ? 130 : 143,
        parent: false,
      }));
  }
  watchParent(() =>
    handle({ why: "its parent's exit", code: 143, parent: true })
  );
}

/** One undo step. */
export type Step = () => unknown;

/**
 * The undo steps of one task.
 *
 * @example Usage
 * ```ts
 * import { Teardown } from "./teardown.ts";
 *
 * const teardown = new Teardown();
 * const undone: string[] = [];
 * await teardown.main(() => {
 *   teardown.defer(() => undone.push("cluster"));
 *   teardown.defer(() => undone.push("server"));
 *   return Promise.resolve();
 * });
 * undone; // ["server", "cluster"]
 * ```
 */
export class Teardown {
  #steps: Step[] = [];
  #running?: Promise<void>;
  #done = false;
  #exit?: Promise<never>;
  #onError: (error: unknown) => void;

  /** @param onError Told of a step that failed; the others still run. */
  constructor(
    onError: (error: unknown) => void = (error) =>
      console.error(
        `teardown: ${error instanceof Error ? error.message : error}`,
      ),
  ) {
    this.#onError = onError;
  }

  /** Whether a signal or the parent's death has begun to stop the task. */
  get stopping(): boolean {
    return this.#exit !== undefined;
  }

  /**
   * Adds an undo step. One added after the teardown ran (the task was
   * midway through starting something when it was stopped) runs at once.
   */
  defer(step: Step): void {
    if (this.#done) {
      void this.#step(step);
      return;
    }
    this.#steps.push(step);
  }

  /** Runs the steps, newest first; every call gets the same single run. */
  run(): Promise<void> {
    return this.#running ??= (async () => {
      // Steps added while others run join the queue.
      for (let step; (step = this.#steps.pop());) await this.#step(step);
      this.#done = true;
    })();
  }

  /**
   * Stops the task on SIGINT (exit 130), SIGTERM, SIGHUP or its parent's
   * death (exit 143): tells `say` why, runs the teardown, exits.
   */
  exitOnStop(say: (why: string) => void): void {
    onStop(({ why, code }) => {
      if (this.#exit) return;
      say(why);
      this.#exit = this.run().then(() => Deno.exit(code));
    });
  }

  /**
   * Runs the task's work, then the teardown. After a stop began, the work's
   * error is not reported: the process ends with the stop's code instead.
   */
  async main<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      // The one run a stop began, if it did: its exit comes first.
      await this.run();
      if (this.#exit) await this.#exit;
    }
  }

  async #step(step: Step): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.#onError(error);
    }
  }
}

/**
 * Retrying with exponential backoff within a time bound.
 *
 * @module
 */

/** Options of {@linkcode retry}. */
export interface RetryOptions {
  /** Give up once this much time has passed; milliseconds. */
  timeoutMs: number;
  /** The first pause; doubled after each failure up to `maxDelayMs`. */
  initialDelayMs?: number;
  /** The longest pause. */
  maxDelayMs?: number;
  /** Whether an error is worth retrying; all are by default. */
  retryable?: (error: unknown) => boolean;
  /** Called before each pause. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** The clock and sleep, for tests. */
  now?: () => number;
  /** Waits between attempts; `setTimeout` by default. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `fn` until it succeeds, pausing longer after each failure, and
 * rethrows the last error once the time bound has passed.
 *
 * @param fn The operation.
 * @param options The bound, pauses and which errors to retry.
 * @returns What `fn` returned.
 * @throws The last error of `fn` when the bound passes or the error is not retryable.
 * @example Usage
 * ```ts
 * import { retry } from "@thoughts/shared/async";
 *
 * let attempts = 0;
 * const answer = await retry(
 *   () => ++attempts < 3 ? Promise.reject(new Error("Not yet")) : Promise.resolve("ok"),
 *   { timeoutMs: 5_000, initialDelayMs: 10 },
 * );
 * [answer, attempts]; // ["ok", 3]
 * ```
 */
export async function retry<T>(
  fn: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ??
    ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + options.timeoutMs;
  let delay = options.initialDelayMs ?? 250;
  for (let attempt = 1;; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const left = deadline - now();
      if (left <= 0 || !(options.retryable?.(error) ?? true)) throw error;
      const pause = Math.min(delay, left);
      options.onRetry?.(error, attempt, pause);
      await sleep(pause);
      delay = Math.min(delay * 2, options.maxDelayMs ?? 5000);
    }
  }
}

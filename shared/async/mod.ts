/**
 * Retrying with backoff within a time bound.
 *
 * @module
 */

export { retry, type RetryOptions } from "./retry.ts";
export { BusyError, createLimit } from "./limit.ts";

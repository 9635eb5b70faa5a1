/**
 * Request IDs that follow one request across the services.
 *
 * @module
 */

/** The header carrying the request ID. */
export const REQUEST_ID_HEADER = "X-Request-ID";

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Keeps a safe incoming request ID, or makes a new one: an ID with other
 * characters or over 128 long is replaced, never echoed.
 *
 * @param incoming The header value, if any.
 * @returns The request ID to use.
 * @example Usage
 * ```ts
 * import { requestId } from "@thoughts/shared";
 *
 * requestId("abc-123"); // "abc-123"
 * requestId("a\nb").length; // 36, a fresh UUID
 * ```
 */
export function requestId(incoming: string | undefined | null): string {
  return incoming && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/**
 * Request IDs: one per request, carried across the services.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";

/** The header carrying the request ID across the services. */
export const REQUEST_ID_HEADER = "X-Request-ID";

/**
 * Hono's `requestId()` as every service app runs it: an incoming
 * `X-Request-ID` of at most 128 safe characters is kept, any other is
 * replaced by a new one; either way it is answered in the header and kept
 * as the `requestId` variable.
 *
 * @returns The middleware.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { requestIds } from "@thoughts/shared/http";
 *
 * const app = new Hono();
 * app.use(requestIds());
 * app.get("/", (c) => c.text("ok"));
 * const res = await app.request("/", { headers: { "X-Request-ID": "abc-1" } });
 * res.headers.get("X-Request-ID"); // "abc-1"
 * ```
 */
export function requestIds(): MiddlewareHandler<
  { Variables: { requestId: string } }
> {
  return requestId({ headerName: REQUEST_ID_HEADER, limitLength: 128 });
}

/**
 * The guard on admin writes: the header `X-Admin-Token` against the
 * service's admin token, compared in constant time.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { HttpError } from "./http_error.ts";

/** The header admin writes carry the admin token in. */
export const ADMIN_TOKEN_HEADER = "X-Admin-Token";

/**
 * A middleware that lets a request through only with the admin token;
 * otherwise a 403, also when the service has no token at all.
 *
 * @param token The service's admin token; `undefined` refuses every request.
 * @returns The middleware.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { adminAuth } from "@thoughts/shared/http";
 *
 * const token = "a".repeat(32);
 * const app = new Hono().use(adminAuth(token)).post("/", (c) => c.text("done"));
 * app.onError((error, c) => c.text(error.message, 403));
 * (await app.request("/", { method: "POST", headers: { "X-Admin-Token": token } })).status; // 200
 * (await app.request("/", { method: "POST", headers: { "X-Admin-Token": "guess" } })).status; // 403
 * ```
 */
export function adminAuth(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (token === undefined) {
      throw new HttpError(
        403,
        "Admin writes are disabled: the service has no 'admin_token' in its secrets",
      );
    }
    const given = c.req.header(ADMIN_TOKEN_HEADER);
    if (given === undefined) {
      throw new HttpError(
        403,
        `Admin token required in the '${ADMIN_TOKEN_HEADER}' header`,
      );
    }
    if (!(await timingSafeEqual(given, token))) {
      throw new HttpError(403, "Admin token refused");
    }
    await next();
  };
}

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
 * Whether a request carries the admin token: `false` without the header;
 * a wrong one (or any, when the service has no token) is refused with 403,
 * so a mistyped token never passes silently for anonymous.
 *
 * @param given The `X-Admin-Token` header, if any.
 * @param token The service's admin token; `undefined` refuses every one.
 * @returns `true` for the right token, `false` for none.
 * @throws {HttpError} 403 for a wrong token.
 * @example Usage
 * ```ts
 * import { hasAdminToken } from "@thoughts/shared/http";
 *
 * const token = "a".repeat(32);
 * await hasAdminToken(undefined, token); // false
 * await hasAdminToken(token, token); // true
 * await hasAdminToken("guess", token).catch((error) => error.status); // 403
 * ```
 */
export async function hasAdminToken(
  given: string | undefined,
  token: string | undefined,
): Promise<boolean> {
  if (given === undefined) return false;
  if (token === undefined) {
    throw new HttpError(
      403,
      "Admin access is disabled: the service has no 'admin_token' in its secrets",
    );
  }
  if (!(await timingSafeEqual(given, token))) {
    throw new HttpError(403, "Admin token refused");
  }
  return true;
}

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
    if (!(await hasAdminToken(c.req.header(ADMIN_TOKEN_HEADER), token))) {
      throw new HttpError(
        403,
        `Admin token required in the '${ADMIN_TOKEN_HEADER}' header`,
      );
    }
    await next();
  };
}

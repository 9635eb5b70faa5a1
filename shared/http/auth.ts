/**
 * Bearer-token authentication, verified locally with the public keys.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import type { KeySet } from "../key_set.ts";
import { errorBody } from "../errors.ts";
import { bearerToken, TokenError, verifyToken } from "../tokens.ts";

/**
 * A middleware that requires `Authorization: Bearer <jwt>` and sets the
 * variable `username`; a refused token becomes a 401 with its reason.
 *
 * @param keys The current key set.
 * @param now The clock.
 * @returns The middleware.
 * @example Usage
 * ```ts
 * import { bearerAuth } from "@thoughts/shared";
 *
 * app.use("/api/me/*", bearerAuth(() => keySet, () => new Date()));
 * ```
 */
export function bearerAuth(
  keys: () => KeySet,
  now: () => Date,
): MiddlewareHandler<{ Variables: { username: string } }> {
  return async (c, next) => {
    try {
      const claims = verifyToken(
        keys(),
        bearerToken(c.req.header("Authorization")),
        now(),
      );
      c.set("username", claims.username);
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      return c.json(errorBody("unauthorized", error.message), 401, {
        "WWW-Authenticate": `Bearer error="invalid_token"`,
      });
    }
    await next();
  };
}

/**
 * Bearer-token authentication, verified locally with the public keys.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import type { KeySet } from "../auth/key_set.ts";
import { errorBody } from "./http_error.ts";
import { TokenError } from "../auth/token_error.ts";
import { bearerToken, verifyToken } from "../auth/tokens.ts";

/**
 * A middleware that requires `Authorization: Bearer <jwt>` and sets the
 * variable `username`; a refused token becomes a 401 with its reason.
 *
 * @param keys The current key set.
 * @param now The clock.
 * @returns The middleware.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { loadKeySet, signToken } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 * import { bearerAuth } from "@thoughts/shared/http";
 *
 * const reader = dirSecretReader("testing/testdata/keys");
 * const keys = await loadKeySet({ reader, appEnv: "test", signs: true });
 * const app = new Hono<{ Variables: { username: string } }>()
 *   .use(bearerAuth(() => keys, () => new Date()))
 *   .get("/me", (c) => c.text(c.get("username")));
 * const jwt = await signToken(keys, "ada", { lifetime: 60, now: new Date() });
 * const res = await app.request("/me", { headers: { Authorization: `Bearer ${jwt}` } });
 * await res.text(); // "ada"
 * (await app.request("/me")).status; // 401
 * ```
 */
export function bearerAuth(
  keys: () => KeySet,
  now: () => Date,
): MiddlewareHandler<{ Variables: { username: string } }> {
  return async (c, next) => {
    try {
      const claims = await verifyToken(
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

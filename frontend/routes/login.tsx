/**
 * Logging in and out: the session cookie from the users service's token,
 * and the device cookie that keeps strangers' failures from locking this
 * browser out.
 *
 * @module
 */

import { Hono } from "hono";
import { clientAddress } from "@thoughts/shared/http";
import { type KeySet, verifyToken } from "@thoughts/shared/auth";
import type { Backends, LoginResult } from "../backend_clients.ts";
import {
  deviceToken,
  endSession,
  keepDevice,
  startSession,
} from "../session.ts";
import { LoginPage, LogoutPage } from "../views/pages.tsx";
import { formField, type FrontendEnv, page } from "./_page.tsx";

/** What logging in needs. */
export interface LoginDeps {
  /** The calls to the backends. */
  backends: Backends;
  /** The accepted public keys, to read the new token's expiry. */
  keys: () => KeySet;
  /** The clock. */
  now: () => Date;
  /** Proxies in front whose `X-Forwarded-For` entries are trusted. */
  trustedProxyHops?: number;
}

/**
 * The routes `/login` (the form, and its post) and `/logout` (a page, and
 * the post that ends the session).
 *
 * @param deps The backends, keys, clock and trusted proxies.
 * @returns The routes, for `app.route("/", …)`.
 * @example Usage
 * ```ts
 * import { loadKeySet } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 * import { createBackends } from "../backend_clients.ts";
 * import { loginRoutes } from "./login.tsx";
 *
 * const backends = createBackends({
 *   usersUrl: "http://users",
 *   thoughtsUrl: "http://thoughts",
 *   fetch: () => Promise.resolve(Response.json({}, { status: 401 })),
 *   timeoutMs: 1000,
 * });
 * const reader = dirSecretReader("testing/testdata/keys");
 * const keys = await loadKeySet({ reader, appEnv: "test", signs: false });
 * const app = loginRoutes({ backends, keys: () => keys, now: () => new Date() });
 * (await app.request("/login")).status; // 200
 * ```
 */
export function loginRoutes(deps: LoginDeps): Hono<FrontendEnv> {
  const app = new Hono<FrontendEnv>();
  app.get("/login", (c) => page(c, "Log in", <LoginPage />));
  app.post("/login", async (c) => {
    const username = (await formField(c, "username")).trim();
    const password = await formField(c, "password");
    const result: LoginResult = username && password
      ? await deps.backends.login({
        username,
        password,
        requestId: c.get("requestId"),
        client: clientAddress(c, deps.trustedProxyHops ?? 0),
        deviceToken: deviceToken(c),
      })
      : { ok: false, status: 401, message: "Wrong username or password" };
    if (!result.ok) {
      return page(
        c,
        "Log in",
        <LoginPage username={username} error={result.message} />,
        result.status,
      );
    }
    const claims = await verifyToken(deps.keys(), result.token, deps.now());
    startSession(c, result.token, claims.exp, deps.now());
    if (result.deviceToken) keepDevice(c, result.deviceToken, deps.now());
    return c.redirect("/thoughts/", 303);
  });
  app.get("/logout", (c) => page(c, "Log out", <LogoutPage />));
  app.post("/logout", (c) => {
    endSession(c);
    return c.redirect("/login/", 303);
  });
  return app;
}

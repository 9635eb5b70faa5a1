/**
 * The users service as a Hono app: accounts, login, the public keys.
 *
 * @module
 */

import { createRoute } from "@hono/zod-openapi";
import { type BuildInfo } from "@thoughts/shared/version";
import {
  adminAuth,
  clientAddress,
  createServiceApp,
  defineRoute,
  errorResponses,
  HttpError,
  jsonOrForm,
  jsonOrFormBody,
  jsonResponse,
} from "@thoughts/shared/http";
import type { Logger } from "@thoughts/shared/log";
import { type KeySet, signToken } from "@thoughts/shared/auth";
import { StoreError } from "@thoughts/shared/store";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { HasherBusyError } from "./bounded_hasher.ts";
import type { LoginThrottle } from "./login_throttle.ts";
import type { PasswordHasher } from "./password.ts";
import { usernameKey } from "./username.ts";
import {
  CreateUserBody,
  JwksSchema,
  LoginBody,
  LoginResponse,
  UserSchema,
} from "./schemas.ts";
import type { User, UsersStore } from "./store.ts";

/** Everything the users app needs from outside. */
export interface UsersDeps {
  /** The accounts' storage. */
  store: UsersStore;
  /** Hashes and checks passwords. */
  hasher: PasswordHasher;
  /** Counts failed logins per account and client; none means no limit. */
  throttle?: LoginThrottle;
  /** The current key set; a function so a reload takes effect at once. */
  keys: () => KeySet;
  /** The admin token admin writes must present; none refuses them all. */
  adminToken?: string;
  /** The running version and commit. */
  info: BuildInfo;
  /** The service's JSON logger. */
  logger: Logger;
  /** Token lifetime in seconds. */
  tokenLifetime: number;
  /** The clock, for token times and account creation. */
  now: () => Date;
  /** Resolves when the database answers. */
  ping: () => Promise<void>;
  /** Set while shutting down, so `/readyz` fails first. */
  lifecycle?: { draining: boolean };
}

/** The users API's routes. */
export const routes = {
  createUser: createRoute({
    method: "post",
    path: "/admin/users/",
    tags: ["Users"],
    summary: "Create an account",
    security: [{ adminToken: [] }],
    request: {
      body: {
        required: true,
        content: { "application/json": { schema: CreateUserBody } },
      },
    },
    responses: {
      201: jsonResponse(UserSchema, "Created"),
      ...errorResponses({
        400: "Invalid input",
        403: "Missing or wrong admin token",
        409: "Username taken",
        413: "Body too large",
        415: "Not JSON",
      }),
    },
  }),
  login: createRoute({
    method: "post",
    path: "/api/login/",
    tags: ["Users"],
    summary: "Log in and get a bearer token",
    request: {
      body: jsonOrFormBody(LoginBody),
    },
    responses: {
      200: jsonResponse(LoginResponse, "Logged in"),
      ...errorResponses({
        400: "Invalid input",
        401: "Wrong username or password",
        429: "Too many failed logins for this account or client",
        503: "Too many logins at once",
      }),
    },
  }),
  jwks: createRoute({
    method: "get",
    path: "/.well-known/jwks.json",
    tags: ["Users"],
    summary: "The public keys verifiers accept, as a JWK Set",
    responses: { 200: jsonResponse(JwksSchema, "The JWK Set") },
  }),
};

const toJson = (user: User) => ({
  id: user.id,
  username: user.username,
  creation: user.creation.toISOString(),
});

/**
 * Creates the users app.
 *
 * @param deps The store, hasher, keys, clock and build info.
 * @returns The Hono app.
 * @example Usage
 * ```ts
 * import { loadKeySet } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 * import { memoryLogger } from "@thoughts/shared/log";
 * import { openPglite } from "@thoughts/shared/store";
 * import { createApp } from "./app.ts";
 * import { pbkdf2Hasher } from "./password.ts";
 * import { createUsersStore } from "./store.ts";
 *
 * const reader = dirSecretReader("testing/testdata/keys");
 * const keys = await loadKeySet({ reader, appEnv: "test", signs: true });
 * const db = await openPglite();
 * const app = createApp({
 *   store: await createUsersStore(db),
 *   hasher: pbkdf2Hasher(1000),
 *   keys: () => keys,
 *   info: { service: "users", version: "v2.3", commit: "c".repeat(40), source: "stamped", requires: {} },
 *   logger: memoryLogger().logger,
 *   tokenLifetime: 3600,
 *   now: () => new Date(),
 *   ping: () => db.ping(),
 * });
 * const res = await app.request("/admin/users/", {
 *   method: "POST",
 *   headers: { "Content-Type": "application/json" },
 *   body: JSON.stringify({ username: "ada", password: "correct horse" }),
 * });
 * res.status; // 201
 * await db.close();
 * ```
 */
export function createApp(
  deps: UsersDeps,
): OpenAPIHono<{ Variables: { requestId: string } }> {
  const app = createServiceApp({
    info: deps.info,
    logger: deps.logger,
    title: "Users Backend API",
    docs: true,
    readiness: { database: deps.ping },
    lifecycle: deps.lifecycle,
    keys: deps.keys,
    versionExtras: () => ({
      signingKid: deps.keys().signer?.kid ?? null,
    }),
  });
  // A hash to verify against for unknown names, so both failures take as long.
  let decoy: Promise<string> | undefined;

  const createUser = {
    ...routes.createUser,
    middleware: adminAuth(deps.adminToken),
  };
  defineRoute(app, createUser, async (c) => {
    const { username, password } = c.req.valid("json");
    const hash = await deps.hasher.hash(password);
    try {
      const user = await deps.store.create(username, hash, deps.now());
      deps.logger("info", "User created", {
        requestId: c.get("requestId"),
        userId: user.id,
      });
      return c.json(toJson(user), 201);
    } catch (error) {
      if (error instanceof StoreError && error.code === "unique_violation") {
        throw new HttpError(409, `Username already exists: '${username}'`);
      }
      throw error;
    }
  });

  defineRoute(app, routes.login, async (c) => {
    const { username, password } = jsonOrForm(
      c.req.header("content-type"),
      () => c.req.valid("json"),
      () => c.req.valid("form"),
    );
    const [account, client] = [usernameKey(username), clientAddress(c)];
    const wait = deps.throttle?.attempt(account, client, deps.now()) ?? 0;
    if (wait > 0) {
      throw new HttpError(
        429,
        `Too many failed logins; try again in ${wait} seconds`,
        { retryAfter: wait },
      );
    }
    const user = await deps.store.findByUsername(username);
    let ok: boolean;
    try {
      decoy ??= deps.hasher.hash(crypto.randomUUID()).catch((error) => {
        decoy = undefined;
        throw error;
      });
      ok = await deps.hasher.verify(
        password,
        user?.passwordHash ?? await decoy,
      );
    } catch (error) {
      if (!(error instanceof HasherBusyError)) throw error;
      deps.throttle?.cancel(account, client); // nothing was checked
      throw new HttpError(503, "Too many logins at once; try again shortly", {
        retryAfter: 1,
      });
    }
    if (!user || !ok) throw new HttpError(401, "Wrong username or password");
    deps.throttle?.succeeded(account, client);
    const keys = deps.keys();
    if (!keys.signer) throw new HttpError(503, "No signing key loaded");
    const token = await signToken(keys, user.username, {
      lifetime: deps.tokenLifetime,
      now: deps.now(),
    });
    return c.json({ Authorized: `Bearer ${token}` }, 200);
  });

  defineRoute(
    app,
    routes.jwks,
    (c) => c.json(deps.keys().jwks, 200),
  );
  return app;
}

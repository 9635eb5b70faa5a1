/**
 * The users service as a Hono app: accounts, login, the public keys.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
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
import type { OpenAPIHono, RouteHandler } from "@hono/zod-openapi";
import { readDeviceToken, signDeviceToken } from "./device_tokens.ts";
import { HasherBusyError, type HashGate } from "./hash_gate.ts";
import {
  type Check,
  LoginLockedError,
  type LoginThrottle,
} from "./login_throttle.ts";
import type { PasswordHasher } from "./password.ts";
import { usernameKey } from "./username.ts";
import {
  CreateUserBody,
  JwksSchema,
  LoginBody,
  LoginResponse,
  UserSchema,
} from "./schemas.ts";
import type { CheckOutcome, User, UsersStore } from "./store.ts";

/** The header scripts send their device token in (the frontend keeps it in a cookie). */
export const DEVICE_TOKEN_HEADER = "X-Device-Token";

/** Everything the users app needs from outside. */
export interface UsersDeps {
  /** The accounts' storage. */
  store: UsersStore;
  /** Hashes and checks passwords. */
  hasher: PasswordHasher;
  /** Admits callers to hashing, trusted ones first. */
  gate: HashGate;
  /** Counts failed logins per account, name, source and device. */
  throttle: LoginThrottle;
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
  /** Device token lifetime in seconds. */
  deviceLifetime: number;
  /** Proxies in front whose `X-Forwarded-For` entries are trusted. */
  trustedProxyHops: number;
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
        503: "Too many password checks at once, or the database unavailable",
      }),
    },
  }),
  login: createRoute({
    method: "post",
    path: "/api/login/",
    tags: ["Users"],
    summary: "Log in and get a bearer token and a device token",
    description:
      "A client that sends the device token of an earlier login to the same account skips the account's lockouts, which strangers' failures cause.",
    request: {
      headers: z.object({
        [DEVICE_TOKEN_HEADER.toLowerCase()]: z.string().optional().openapi({
          description: "The device token of an earlier login to this account",
        }),
      }),
      body: jsonOrFormBody(LoginBody),
    },
    responses: {
      200: jsonResponse(LoginResponse, "Logged in"),
      ...errorResponses({
        400: "Invalid input",
        401: "Wrong username or password",
        429: "Too many failed logins for this account, device or source",
        503: "Too many password checks at once, or the database unavailable",
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

type UsersEnv = { Variables: { requestId: string } };

/**
 * Creates the users app.
 *
 * @param deps The store, hasher, hashing gate, throttle, keys, clock and build info.
 * @returns The Hono app.
 * @example Usage
 * ```ts
 * import { loadKeySet } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 * import { memoryLogger } from "@thoughts/shared/log";
 * import { openPglite } from "@thoughts/shared/store";
 * import { createApp } from "./app.ts";
 * import { createHashGate } from "./hash_gate.ts";
 * import { createLoginThrottle } from "./login_throttle.ts";
 * import { pbkdf2Hasher } from "./password.ts";
 * import { createUsersStore } from "./store.ts";
 *
 * const reader = dirSecretReader("testing/testdata/keys");
 * const keys = await loadKeySet({ reader, appEnv: "test", signs: true });
 * const db = await openPglite();
 * const store = await createUsersStore(db);
 * const adminToken = "a".repeat(32);
 * const app = createApp({
 *   store,
 *   hasher: pbkdf2Hasher(1000),
 *   gate: createHashGate({ concurrency: 2, queue: 16, trustedQueue: 16, perClient: 4 }),
 *   throttle: createLoginThrottle(store.throttle, {
 *     accountFailures: 5, clientFailures: 20, deviceFailures: 5,
 *     lockSeconds: 30, maxLockSeconds: 900, maxRows: 10_000,
 *   }),
 *   keys: () => keys,
 *   adminToken,
 *   info: { service: "users", version: "v2.3", commit: "c".repeat(40), source: "stamped", requires: {} },
 *   logger: memoryLogger().logger,
 *   tokenLifetime: 3600,
 *   deviceLifetime: 30 * 86400,
 *   trustedProxyHops: 0,
 *   now: () => new Date(),
 *   ping: () => db.ping(),
 * });
 * const res = await app.request("/admin/users/", {
 *   method: "POST",
 *   headers: { "Content-Type": "application/json", "X-Admin-Token": adminToken },
 *   body: JSON.stringify({ username: "ada", password: "correct horse" }),
 * });
 * res.status; // 201
 * await db.close();
 * ```
 */
export function createApp(
  deps: UsersDeps,
): OpenAPIHono<UsersEnv> {
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
    domainErrors: (error) => {
      if (error instanceof HasherBusyError) {
        return new HttpError(
          503,
          "Too many password checks at once; try again shortly",
          { retryAfter: 1, cause: error },
        );
      }
      if (error instanceof LoginLockedError) {
        return new HttpError(429, error.message, { retryAfter: error.wait });
      }
    },
  });
  const createUser = {
    ...routes.createUser,
    middleware: adminAuth(deps.adminToken),
  };
  defineRoute(app, createUser, createUserHandler(deps));
  defineRoute(app, routes.login, loginHandler(deps));

  defineRoute(
    app,
    routes.jwks,
    (c) => c.json(deps.keys().jwks, 200),
  );
  return app;
}

// POST /admin/users/: a new account, its password hashed in the gate's
// trusted line.
function createUserHandler(
  deps: UsersDeps,
): RouteHandler<typeof routes.createUser, UsersEnv> {
  return async (c) => {
    const { username, password } = c.req.valid("json");
    const taken = () =>
      new HttpError(409, `Username already exists: '${username}'`);
    // A taken name costs no hash.
    if (await deps.store.findByUsername(username)) throw taken();
    // The admin token proves its holder, as a device token does.
    const leave = await deps.gate.enter({ trusted: true, client: "admin" });
    let hash: string;
    try {
      hash = await deps.hasher.hash(password);
    } finally {
      leave();
    }
    try {
      const user = await deps.store.create(username, hash, deps.now());
      deps.logger("info", "User created", {
        requestId: c.get("requestId"),
        userId: user.id,
      });
      return c.json(toJson(user), 201);
    } catch (error) {
      if (error instanceof StoreError && error.code === "unique_violation") {
        throw taken();
      }
      throw error;
    }
  };
}

// POST /api/login/: the throttle's check around the password's, then a
// bearer token and a device token.
function loginHandler(
  deps: UsersDeps,
): RouteHandler<typeof routes.login, UsersEnv> {
  const decoyHash = decoyOf(deps.hasher);
  return async (c) => {
    const { username, password } = jsonOrForm(
      c.req.header("content-type"),
      () => c.req.valid("json"),
      () => c.req.valid("form"),
    );
    const now = deps.now();
    const keys = deps.keys();
    const name = usernameKey(username);
    const source = clientAddress(c, deps.trustedProxyHops);
    // The token's own name lets a trusted client queue first before any lookup.
    const device = await readDeviceToken(
      keys,
      c.req.header(DEVICE_TOKEN_HEADER),
      now,
    );
    const vouched = device?.name === name ? device : undefined;
    const leave = await deps.gate.enter(
      vouched
        ? { trusted: true, client: `device:${vouched.id}` }
        : { trusted: false, client: source },
    );
    try {
      const user = await deps.store.findByUsername(username);
      const trusted = vouched && vouched.userId === user?.id
        ? vouched
        : undefined;
      const check = await deps.throttle.begin(
        { device: trusted?.id, account: user?.id, name, source },
        now,
      );
      const outcome = await counted(check, async () => {
        const hash = user?.passwordHash ?? await decoyHash();
        return await deps.hasher.verify(password, hash) && user
          ? "right"
          : "wrong";
      });
      if (outcome !== "right" || !user) {
        throw new HttpError(401, "Wrong username or password");
      }
      const deviceId = check.trusted && trusted ? trusted.id : undefined;
      const { token, deviceToken } = await issueTokens(
        deps,
        keys,
        { user, name, deviceId },
        now,
      );
      return c.json({
        Authorized: `Bearer ${token}`,
        device_token: deviceToken,
      }, 200);
    } finally {
      leave();
    }
  };
}

// The bearer token, and the device token that lets this client past
// strangers' locks next time: a trusted device keeps its id (and its
// budget), a new one gets its own.
async function issueTokens(
  deps: UsersDeps,
  keys: KeySet,
  login: { user: User; name: string; deviceId?: string },
  now: Date,
): Promise<{ token: string; deviceToken: string }> {
  if (!keys.signer) throw new HttpError(503, "No signing key loaded");
  const token = await signToken(keys, login.user.username, {
    lifetime: deps.tokenLifetime,
    now,
  });
  const deviceToken = await signDeviceToken(keys, {
    userId: login.user.id,
    name: login.name,
    id: login.deviceId ?? crypto.randomUUID(),
  }, { lifetime: deps.deviceLifetime, now });
  return { token, deviceToken };
}

// A hash to verify against for unknown names, so both failures take as
// long; made once, on first use.
function decoyOf(hasher: PasswordHasher): () => Promise<string> {
  let decoy: Promise<string> | undefined;
  return () =>
    decoy ??= hasher.hash(crypto.randomUUID()).catch((error) => {
      decoy = undefined;
      throw error;
    });
}

// Runs the password check as the throttle's check: its outcome counted,
// or nothing when it could not run.
async function counted(
  check: Check,
  run: () => Promise<"right" | "wrong">,
): Promise<CheckOutcome> {
  let outcome: CheckOutcome = "unchecked";
  try {
    outcome = await run();
  } finally {
    await check.end(outcome);
  }
  return outcome;
}

/**
 * The users app on a fresh test database, for this service's tests and the
 * frontend's.
 *
 * @module
 */

import { type LogRecord, memoryLogger } from "@thoughts/shared/log";
import {
  loadTestKeys,
  openTestDatabase,
  TEST_ADMIN_TOKEN,
  type TestDatabase,
} from "@thoughts/testing";
import { createApp, type UsersDeps } from "./app.ts";
import { createHashGate } from "./hash_gate.ts";
import { createLoginThrottle, type ThrottleLimits } from "./login_throttle.ts";
import { pbkdf2Hasher } from "./password.ts";
import { createUsersStore } from "./store.ts";

/** Limits no test reaches unless it means to: each test sets those it tries. */
const LOOSE_LIMITS: ThrottleLimits = {
  accountFailures: 1000,
  clientFailures: 1000,
  deviceFailures: 1000,
  lockSeconds: 30,
  maxLockSeconds: 900,
  maxRows: 10_000,
};

/** The test keys from `testing/testdata`, signing. */
export const testKeys = await loadTestKeys(true);

/** The fixed time of the tests. */
export const TEST_NOW = new Date("2026-11-25T12:00:00.000Z");

/** A users app under test. */
export interface TestUsersApp extends AsyncDisposable {
  app: ReturnType<typeof createApp>;
  db: TestDatabase;
  /** What the app logged. */
  records: LogRecord[];
  /** Rows in the users table. */
  count(): Promise<number>;
}

/**
 * Builds the users app with test keys, a cheap hasher, a fixed clock, a
 * fresh database and a throttle on it with loose limits; any dependency can
 * be replaced, and any limit.
 *
 * @param overrides Dependencies to replace, and `limits` of the throttle.
 * @returns The app and its database.
 * @example Usage
 * ```ts
 * import { testUsersApp } from "./testing.ts";
 *
 * await using t = await testUsersApp();
 * await t.app.request("/healthz");
 * ```
 */
export async function testUsersApp(
  overrides: Partial<UsersDeps> & { limits?: Partial<ThrottleLimits> } = {},
): Promise<TestUsersApp> {
  const db = await openTestDatabase();
  const { logger, records } = memoryLogger();
  const { limits, ...replaced } = overrides;
  const store = await createUsersStore(db);
  const deps: UsersDeps = {
    store,
    hasher: pbkdf2Hasher(1000),
    gate: createHashGate({
      concurrency: 2,
      queue: 16,
      trustedQueue: 16,
      perClient: 1000,
    }),
    throttle: createLoginThrottle(store.throttle, {
      ...LOOSE_LIMITS,
      ...limits,
    }),
    keys: () => testKeys,
    adminToken: TEST_ADMIN_TOKEN,
    info: {
      service: "users",
      version: "v2.3",
      commit: "c".repeat(40),
      source: "stamped",
      requires: {},
    },
    logger,
    tokenLifetime: 3600,
    deviceLifetime: 30 * 86400,
    trustedProxyHops: 0,
    now: () => TEST_NOW,
    ping: () => db.ping(),
    ...replaced,
  };
  return {
    app: createApp(deps),
    db,
    records,
    count: async () =>
      (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users"))[
        0
      ]!.n,
    [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
  };
}

// What the bench's floor and the frontend's tests run: the service's own
// store, hasher and app dependencies.
export { createUsersStore } from "./store.ts";
export { pbkdf2Hasher } from "./password.ts";
export type { UsersDeps } from "./app.ts";

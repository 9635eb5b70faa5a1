/**
 * The thoughts app on a fresh test database, for this service's tests and
 * the frontend's.
 *
 * @module
 */

import { memoryLogger } from "@thoughts/shared/log";
import {
  loadTestKeys,
  openTestDatabase,
  TEST_ADMIN_TOKEN,
  type TestDatabase,
} from "@thoughts/testing";
import { createApp, type ThoughtsDeps } from "./app.ts";
import { createThoughtsStore } from "./store.ts";

/** The public half of the test keys: the thoughts service only verifies. */
export const verifierKeys = await loadTestKeys(false);

/** A thoughts app under test. */
export interface TestThoughtsApp extends AsyncDisposable {
  app: ReturnType<typeof createApp>;
  db: TestDatabase;
  /** Rows in the thoughts table. */
  count(): Promise<number>;
}

/**
 * Builds the thoughts app with the public test key, a fixed clock and a
 * fresh database; any dependency can be replaced.
 *
 * @param overrides Dependencies to replace.
 * @returns The app and its database.
 * @example Usage
 * ```ts
 * import { testThoughtsApp } from "./testing.ts";
 *
 * await using t = await testThoughtsApp();
 * ```
 */
export async function testThoughtsApp(
  overrides: Partial<ThoughtsDeps> = {},
): Promise<TestThoughtsApp> {
  const db = await openTestDatabase();
  const deps: ThoughtsDeps = {
    store: await createThoughtsStore(db),
    keys: () => verifierKeys,
    adminToken: TEST_ADMIN_TOKEN,
    info: {
      service: "thoughts",
      version: "v1.6",
      commit: "d".repeat(40),
      source: "stamped",
      requires: {},
    },
    logger: memoryLogger().logger,
    now: () => new Date("2026-11-25T12:00:00.000Z"),
    ping: () => db.ping(),
    ...overrides,
  };
  return {
    app: createApp(deps),
    db,
    count: async () =>
      (await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM thoughts",
      ))[0]!.n,
    [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
  };
}

// What the bench's floor runs: the service's own store.
export { createThoughtsStore } from "./store.ts";
export { pageLinks } from "./page_links.ts";

/**
 * The real users and thoughts apps behind an in-process `fetch`, for the
 * frontend's tests, with switches to make a backend fail.
 *
 * @module
 */

import { signToken } from "@thoughts/shared/auth";
import { usersApi } from "@thoughts/testing";
import { memoryLogger } from "@thoughts/shared/log";
import { testThoughtsApp } from "@thoughts/thoughts/testing";
import { testKeys, testUsersApp } from "@thoughts/users/testing";
import { createApp, type FrontendDeps } from "./app.tsx";
import { createBackends, type Fetch } from "./backend_clients.ts";
import { dependencies } from "./dependencies.ts";

/**
 * How a backend misbehaves; `reset-once` drops the next connection only, as
 * a pod that is stopping does, then answers.
 */
export type Fault = "down" | "error" | "hang" | "reset-once" | undefined;

/** The in-process backends of a frontend test. */
export interface TestBackends extends AsyncDisposable {
  fetch: Fetch;
  /** Set a backend's fault to make it fail. */
  faults: Record<"users" | "thoughts", Fault>;
  /** Every request the frontend sent. */
  seen: Request[];
  usersUrl: string;
  thoughtsUrl: string;
  createUser(username: string, password: string): Promise<void>;
  token(username: string, now?: Date, lifetime?: number): Promise<string>;
  /** Rows in the users and thoughts tables. */
  counts(): Promise<{ users: number; thoughts: number }>;
}

/** The test keys, signing and verifying. */
export { testKeys };

/**
 * Starts both backends on fresh test databases.
 *
 * @param versions The versions the backends report.
 * @param usersDeps Dependencies of the users app to replace.
 * @returns The fetch, fault switches, a user maker and a disposer.
 * @example Usage
 * ```ts
 * await using backends = await testBackends();
 * ```
 */
export async function testBackends(
  versions = { users: "v2.3", thoughts: "v1.6" },
  usersDeps: Parameters<typeof testUsersApp>[0] = {},
): Promise<TestBackends> {
  const [usersApp, thoughtsApp] = await startApps(versions, usersDeps);

  const [users, thoughts] = [usersApp.app, thoughtsApp.app];
  const faults: Record<"users" | "thoughts", Fault> = {
    users: undefined,
    thoughts: undefined,
  };
  const seen: Request[] = [];
  const fetch = faultyFetch({ users, thoughts }, faults, seen);
  return {
    fetch,
    faults,
    seen,
    usersUrl: "http://users",
    thoughtsUrl: "http://thoughts",
    // Straight to the users app: account set-up is not subject to the faults.
    createUser: usersApi(
      "http://users",
      (url, init) => Promise.resolve(users.request(url, init)),
    ).createUser,
    async counts() {
      return {
        users: await usersApp.count(),
        thoughts: await thoughtsApp.count(),
      };
    },
    token: (username: string, now = new Date(), lifetime = 3600) =>
      signToken(testKeys, username, { lifetime, now }),
    async [Symbol.asyncDispose]() {
      await Promise.all([
        usersApp[Symbol.asyncDispose](),
        thoughtsApp[Symbol.asyncDispose](),
      ]);
    },
  };
}

/**
 * The frontend app over in-process backends, as a browser meets it.
 *
 * @param backends The backends, from {@linkcode testBackends}.
 * @param overrides Dependencies to replace.
 * @returns The app.
 * @example Usage
 * ```ts
 * import { testBackends, testFrontend } from "./testing.ts";
 *
 * await using backends = await testBackends();
 * const app = testFrontend(backends);
 * (await app.request("/login/")).status; // 200
 * ```
 */
export function testFrontend(
  backends: TestBackends,
  overrides: Partial<FrontendDeps> = {},
): ReturnType<typeof createApp> {
  return createApp({
    backends: createBackends({
      usersUrl: backends.usersUrl,
      thoughtsUrl: backends.thoughtsUrl,
      fetch: backends.fetch,
      timeoutMs: 1000,
    }),
    keys: () => testKeys,
    dependencies: dependencies({
      THOUGHTS_BACKEND_URL: backends.thoughtsUrl,
      USER_BACKEND_URL: backends.usersUrl,
    }),
    info: {
      service: "frontend",
      version: "v3.7",
      commit: "f".repeat(40),
      source: "stamped",
      requires: {},
    },
    logger: memoryLogger().logger,
    now: () => new Date(),
    ...overrides,
  });
}

// Each backend app behind its host name, failing as its fault says.
function faultyFetch(
  apps: Record<
    "users" | "thoughts",
    { request: (r: Request) => Response | Promise<Response> }
  >,
  faults: Record<"users" | "thoughts", Fault>,
  seen: Request[],
): Fetch {
  return (request) => {
    seen.push(request);
    const host = new URL(request.url).hostname as "users" | "thoughts";
    const app = apps[host];
    switch (faults[host]) {
      case "down":
        return Promise.reject(new TypeError("Connection refused"));
      case "reset-once":
        faults[host] = undefined;
        return Promise.reject(new TypeError("Connection reset by peer"));
      case "error":
        return Promise.resolve(
          new Response("boom at line 12", { status: 500 }),
        );
      case "hang":
        return new Promise((_, reject) =>
          request.signal.addEventListener(
            "abort",
            () => reject(request.signal.reason),
          )
        );
    }
    return Promise.resolve(app.request(request));
  };
}

// The two backend apps, each reporting the version asked.
async function startApps(
  versions: { users: string; thoughts: string },
  usersDeps: Parameters<typeof testUsersApp>[0],
) {
  const now = () => new Date();
  const stamp = { source: "stamped", requires: {} } as const;
  return await Promise.all([
    testUsersApp({
      now,
      info: {
        ...stamp,
        service: "users",
        version: versions.users,
        commit: "a".repeat(40),
      },
      ...usersDeps,
    }),
    testThoughtsApp({
      now,
      keys: () => testKeys,
      info: {
        ...stamp,
        service: "thoughts",
        version: versions.thoughts,
        commit: "b".repeat(40),
        requires: { users_backend: "v2.3" },
      },
    }),
  ]);
}

import {
  assertEquals,
  assertOk,
  assertRejects,
  assertStringIncludes,
} from "@thoughts/testing";
import { checkDependencies, DependencyError } from "./dependency_check.ts";

const thoughts = {
  name: "thoughts_backend",
  url: "http://thoughts",
  minimum: "v1.6",
};
const users = { name: "users_backend", url: "http://users", minimum: "v2.3" };

function versions(map: Record<string, string>) {
  return (url: string) => {
    const host = new URL(url).host;
    const version = map[host];
    return version === undefined
      ? Promise.reject(new TypeError("Connection refused"))
      : Promise.resolve(Response.json({ version, commit: "x" }));
  };
}

Deno.test("checkDependencies() passes at or above each minimum", async () => {
  const lines: string[] = [];
  await checkDependencies([thoughts, users], {
    fetch: versions({ thoughts: "v1.6-3-gabcdef0", users: "v2.10" }),
    print: (l) => lines.push(l),
  });
  assertEquals(lines, [
    "Checking minimum version for thoughts_backend",
    "Minimum v1.6, found v1.6-3-gabcdef0",
    "Version v1.6-3-gabcdef0 is correct",
    "Checking minimum version for users_backend",
    "Minimum v2.3, found v2.10",
    "Version v2.10 is correct",
  ]);
});

Deno.test("checkDependencies() fails below the minimum with the three lines", async () => {
  const lines: string[] = [];
  let slept = 0;
  const error = await assertRejects(
    () =>
      checkDependencies([thoughts, users], {
        fetch: versions({ thoughts: "v1.5", users: "v2.3" }),
        print: (l) => lines.push(l),
        sleep: () => Promise.resolve(void slept++),
      }),
    DependencyError,
    "Version v1.5 is incorrect (min v1.6)",
  );
  assertEquals(error.reason, "too_old");
  assertEquals(slept, 0, "no retry for a version too old");
  assertEquals(lines, [
    "Checking minimum version for thoughts_backend",
    "Minimum v1.6, found v1.5",
    "Version v1.5 is incorrect (min v1.6)",
  ]);
});

Deno.test("checkDependencies() refuses a garbage version", async () => {
  await assertRejects(
    () =>
      checkDependencies([thoughts], {
        fetch: versions({ thoughts: "BAD VERSION" }),
        print: () => {},
      }),
    DependencyError,
    "Version BAD VERSION is incorrect (min v1.6)",
  );
});

Deno.test("checkDependencies() retries an unreachable dependency, then gives up within its bound", async () => {
  let clock = 0;
  const pauses: number[] = [];
  const lines: string[] = [];
  const error = await assertRejects(
    () =>
      checkDependencies([users], {
        fetch: versions({}),
        print: (l) => lines.push(l),
        timeoutMs: 30_000,
        now: () => clock,
        sleep: (ms) => {
          pauses.push(ms);
          clock += ms;
          return Promise.resolve();
        },
      }),
    DependencyError,
  );
  assertEquals(error.reason, "unreachable");
  assertStringIncludes(
    error.message,
    "Giving up on users_backend: Cannot reach 'http://users/admin/version/'",
  );
  assertEquals(pauses.reduce((a, b) => a + b, 0), 30_000);
  assertEquals(
    pauses.slice(0, 5),
    [250, 500, 1000, 2000, 4000],
    "exponential backoff",
  );
  assertOk(lines.some((l) => l.includes("retrying")));
});

Deno.test("checkDependencies() retries a non-JSON answer until it becomes valid", async () => {
  let calls = 0;
  await checkDependencies([users], {
    fetch: () =>
      Promise.resolve(
        ++calls < 3
          ? new Response("<html>", { status: 200 })
          : Response.json({ version: "v2.3" }),
      ),
    print: () => {},
    sleep: () => Promise.resolve(),
  });
  assertEquals(calls, 3);
});

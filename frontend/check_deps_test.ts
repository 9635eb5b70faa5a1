import {
  assertEquals,
  assertOk,
  assertStringIncludes,
  freePort,
  runDeno as run,
} from "@thoughts/testing";

function versionServer(version: string) {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => Response.json({ service: "stub", version, commit: "0".repeat(40) }),
  );
}

const url = (server: Deno.HttpServer<Deno.NetAddr>) =>
  `http://127.0.0.1:${server.addr.port}`;

Deno.test("deno task check-deps passes when both backends hold their minimums", async () => {
  await using thoughts = versionServer("v1.6");
  await using users = versionServer("v2.4");
  const result = await run(["task", "-q", "check-deps"], {
    THOUGHTS_BACKEND_URL: url(thoughts),
    USER_BACKEND_URL: url(users),
  });
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(
    result.stdout,
    "Checking minimum version for thoughts_backend\nMinimum v1.6, found v1.6\n",
  );
  assertStringIncludes(
    result.stdout,
    "Checking minimum version for users_backend\nMinimum v2.3, found v2.4\n",
  );
});

Deno.test("deno task check-deps fails at once on v1.5 with the three lines", async () => {
  await using thoughts = versionServer("v1.5");
  await using users = versionServer("v2.3");
  const result = await run(["task", "-q", "check-deps"], {
    THOUGHTS_BACKEND_URL: url(thoughts),
    USER_BACKEND_URL: url(users),
  });
  assertEquals(result.code, 1);
  assertStringIncludes(
    result.stdout,
    "Checking minimum version for thoughts_backend\nMinimum v1.6, found v1.5\nVersion v1.5 is incorrect (min v1.6)\n",
  );
  assertOk(
    !result.stdout.includes("users_backend"),
    "stops at the first failure",
  );
});

Deno.test("deno task check-deps gives up on an unreachable URL within its bound", async () => {
  await using users = versionServer("v2.3");
  const dead = `http://127.0.0.1:${freePort()}`;
  const result = await run(["task", "-q", "check-deps"], {
    THOUGHTS_BACKEND_URL: dead,
    USER_BACKEND_URL: url(users),
    DEPENDENCY_TIMEOUT_SECONDS: "2",
  });
  assertEquals(result.code, 1);
  assertStringIncludes(
    result.stderr,
    `Giving up on thoughts_backend: Cannot reach '${dead}/admin/version/'`,
  );
  assertOk(result.seconds < 15, `took ${result.seconds} s`);
});

Deno.test("the frontend exits non-zero before listening when a backend is too old", async () => {
  await using thoughts = versionServer("v1.5");
  await using users = versionServer("v2.3");
  const port = freePort();
  const result = await run(["run", "-A", "frontend/main.ts"], {
    THOUGHTS_BACKEND_URL: url(thoughts),
    USER_BACKEND_URL: url(users),
    PORT: String(port),
    HOST: "127.0.0.1",
  });
  assertEquals(result.code, 1);
  assertStringIncludes(result.stdout, "Version v1.5 is incorrect (min v1.6)");
  assertOk(!result.stdout.includes('"Listening"'));
});

Deno.test("a bad configuration names every bad variable and exits 1", async () => {
  const result = await run(["run", "-A", "frontend/main.ts"], {
    THOUGHTS_BACKEND_URL: "nope",
    PORT: "x",
  });
  assertEquals(result.code, 1);
  for (const name of ["PORT", "THOUGHTS_BACKEND_URL", "USER_BACKEND_URL"]) {
    assertStringIncludes(result.stderr, name);
  }
});

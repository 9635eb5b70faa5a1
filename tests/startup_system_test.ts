// Start-up refusals, seen as an operator sees them: the process exits 1
// before it listens, with one line that says what to do.
import {
  assertEquals,
  assertOk,
  assertStringIncludes,
  freePort,
  runService,
  TEST_ADMIN_TOKEN,
  TEST_KEYS_DIR,
} from "@thoughts/testing";

const start = (entry: string, env: Record<string, string>) =>
  runService(entry, {
    HOST: "127.0.0.1",
    PORT: String(freePort()),
    ...env,
  });

Deno.test("with no keys in SECRETS_DIR every service refuses to start in every APP_ENV, naming the commands that make keys", async (t) => {
  const empty = await Deno.makeTempDir({ prefix: "thoughts_no_keys_" });
  try {
    const services: [string, Record<string, string>, string][] = [
      [
        "users/main.ts",
        { DATABASE_ENGINE: "PGLITE" },
        "'private_key.pem' and a '*.pub' key",
      ],
      ["thoughts/main.ts", { DATABASE_ENGINE: "PGLITE" }, "a '*.pub' key"],
      ["frontend/main.ts", {
        THOUGHTS_BACKEND_URL: "http://127.0.0.1:9",
        USER_BACKEND_URL: "http://127.0.0.1:9",
      }, "a '*.pub' key"],
    ];
    for (const appEnv of ["production", "development", "test"]) {
      for (const [entry, env, wanted] of services) {
        await t.step(`${entry}, APP_ENV=${appEnv}`, async () => {
          const { code, stderr } = await start(entry, {
            ...env,
            APP_ENV: appEnv,
            SECRETS_DIR: empty,
          });
          assertEquals(code, 1, stderr);
          assertStringIncludes(
            stderr,
            `cannot start: No token keys in '${empty}': expected ${wanted}; run 'deno task dev' (development keys) or 'deno task secrets' (a cluster's)`,
          );
          assertEquals(stderr.trim().split("\n").length, 1, stderr);
        });
      }
    }
  } finally {
    await Deno.remove(empty);
  }
});

Deno.test("a backend refuses to start with a weak admin token, or the test one in production", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "thoughts_admin_token_" });
  try {
    for (const name of ["private_key.pem", "public_key.pub"]) {
      await Deno.copyFile(`${TEST_KEYS_DIR}/${name}`, `${dir}/${name}`);
    }
    const cases: [string, string, string][] = [
      [
        "short token",
        "test",
        "is shorter than 32 characters; run 'deno task secrets'",
      ],
      [
        TEST_ADMIN_TOKEN,
        "production",
        "is the test token from git; run 'deno task secrets'",
      ],
    ];
    for (const [token, appEnv, wanted] of cases) {
      await Deno.writeTextFile(`${dir}/admin_token`, `${token}\n`);
      for (const entry of ["users/main.ts", "thoughts/main.ts"]) {
        await t.step(`${entry}, APP_ENV=${appEnv}`, async () => {
          const { code, stderr } = await start(entry, {
            APP_ENV: appEnv,
            DATABASE_ENGINE: "PGLITE",
            SECRETS_DIR: dir,
          });
          assertEquals(code, 1, stderr);
          assertStringIncludes(
            stderr,
            `cannot start: 'admin_token' in '${dir}' ${wanted}`,
          );
          assertOk(!stderr.includes(token), "the token is not printed");
        });
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a PGlite data folder that cannot be written stops the service with one sentence naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoughts_readonly_" });
  // A read-only filesystem: file modes alone do not stop root, who runs CI.
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir],
    stderr: "null",
  }).output().catch(() => ({ success: false }));
  try {
    const readOnly = mount.success
      ? dir
      : await Deno.chmod(dir, 0o555).then(() => dir);
    const { code, stderr } = await start("thoughts/main.ts", {
      APP_ENV: "test",
      DATABASE_ENGINE: "PGLITE",
      PGLITE_DATA_DIR: readOnly,
    });
    assertEquals(code, 1, stderr);
    assertStringIncludes(
      stderr,
      `cannot start: PGlite data folder '${readOnly}' is not writable`,
    );
    assertEquals(stderr.trim().split("\n").length, 1, stderr);
  } finally {
    if (mount.success) {
      await new Deno.Command("umount", { args: [dir] }).output();
    }
    await Deno.remove(dir, { recursive: true });
  }
});

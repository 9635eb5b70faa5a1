// Start-up refusals, seen as an operator sees them: the process exits 1
// before it listens, with one line that says what to do.
import {
  assertEquals,
  assertStringIncludes,
  freePort,
  runDeno,
} from "@thoughts/testing";

const start = (entry: string, env: Record<string, string>) =>
  runDeno(["run", "-A", entry], {
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

// The build as a process: a stamped module the service runs from, and
// deno compile's payload for every service (slow: seconds per service).
import {
  assertEquals,
  assertOk,
  runDeno,
  serviceDatabase,
  startService,
  TEST_KEYS_DIR,
  testEngine,
} from "@thoughts/testing";
import { permissionFlags, SERVICES } from "./services.ts";
import { ROOT } from "../root.ts";

const users = SERVICES[0]!;

const buildCli = (args: string[], env: Record<string, string> = {}) =>
  runDeno(["run", "-A", "build.ts", ...args], env);

Deno.test("deno task build --test stamps a module the service runs from and reports", async () => {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "build.ts", "users", "--test", "--no-compile"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(run.code, 0, new TextDecoder().decode(run.stderr));
  const meta = JSON.parse(
    await Deno.readTextFile(`${ROOT}/dist/users/version.json`),
  );
  await using db = await serviceDatabase();
  // On PostgreSQL the service runs with exactly the compiled binary's
  // permissions; PGlite would also need to read its files in the npm cache.
  // The test keys' folder stands in for /opt/keys.
  const flags = testEngine() === "POSTGRES"
    ? permissionFlags(users).map((flag) =>
      flag.startsWith("--allow-read=") ? `${flag},${TEST_KEYS_DIR}` : flag
    )
    : ["-A"];
  await using service = await startService(
    `${ROOT}/dist/users/entry.ts`,
    { APP_ENV: "test", ...db.env },
    // The entry module itself, as deno compile takes it.
    { permissions: flags, runtime: "deno" },
  );
  const version = await (await fetch(`${service.url}/admin/version/`)).json();
  assertEquals([version.version, version.commit, version.source], [
    meta.version,
    meta.commit,
    "stamped",
  ]);
});

// Any ELF executable stands in for denort: the payload is built and
// embedded as with the real runtime, though the result does not run.
const STAND_IN_RUNTIME = "/bin/true";
// Each service's payload holds its own npm graph only (MB; measured 46 for
// a backend with PGlite, 21 for the frontend).
const PAYLOAD_MB = { users: 60, thoughts: 60, frontend: 30 };

Deno.test("deno compile builds every service's payload with a stand-in runtime, within its size", async (t) => {
  for (const service of SERVICES) {
    await t.step(service.name, async () => {
      const result = await buildCli([service.name, "--test"], {
        DENORT_BIN: STAND_IN_RUNTIME,
      });
      assertEquals(result.code, 0, result.stderr);
      const size =
        (await Deno.stat(`${ROOT}/dist/${service.name}/${service.name}`))
          .size / 1e6;
      assertOk(
        size <= PAYLOAD_MB[service.name],
        `${service.name}: ${size.toFixed(1)} MB, over ${
          PAYLOAD_MB[service.name]
        } MB`,
      );
    });
  }
});

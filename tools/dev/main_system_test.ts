import { keyId } from "@thoughts/shared/auth";
import {
  assertEquals,
  assertMatch,
  assertOk,
  assertStringIncludes,
  runDeno,
  runDev,
  testRuntime,
} from "@thoughts/testing";
import { parseEnvFile } from "./_env_file.ts";
import { SAMPLE_USERS } from "./_seed.ts";
import { ROOT } from "../root.ts";

const root = `${ROOT}/`;

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

Deno.test("deno task dev runs the system, logs a sample user in, and stops all three on SIGINT", async () => {
  const dev = await runDev();
  try {
    const frontend = `http://127.0.0.1:${dev.ports.frontend}`;
    assertStringIncludes(dev.output(), `frontend          ${frontend}/`);
    assertStringIncludes(dev.output(), `${frontend}/admin/versions/`);
    const { username, password } = SAMPLE_USERS[0];
    assertStringIncludes(dev.output(), `${username} / ${password}`);
    // One compact line per request, prefixed by the service, not JSON.
    // deno-lint-ignore no-control-regex
    const plain = () => dev.output().replaceAll(/\x1b\[[0-9;]*m/g, "");
    assertMatch(
      plain(),
      /^frontend\| \d\d:\d\d:\d\d GET \/readyz 200 [\d.]+ms$/m,
    );
    // The users service signs with the development key generated for it.
    const generated = await keyId(
      await Deno.readTextFile(`${dev.data}/keys/public_key.pub`),
    );
    const users = await (await fetch(
      `http://127.0.0.1:${dev.ports.users}/admin/version/`,
    )).json();
    assertEquals(users.signingKid, generated);
    // On the runtime the tests ask for (TEST_RUNTIME: deno, node or bun).
    assertOk(users.runtime.startsWith(`${testRuntime()} `), users.runtime);

    const login = await fetch(`${frontend}/login/`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: frontend },
      body: new URLSearchParams({ username, password }),
    });
    assertEquals(login.status, 303);
    const cookie =
      /session=[^;]+/.exec(login.headers.get("set-cookie") ?? "")?.[0] ?? "";
    const page = await (await fetch(`${frontend}/thoughts/`, {
      headers: { Cookie: cookie },
    })).text();
    assertStringIncludes(page, "Imagination is the discovering faculty");
  } finally {
    dev.process.kill("SIGINT");
    const status = await dev.finished();
    assertEquals(status.code, 0, await dev.stderr);
    assertEquals(Object.keys(dev.pids).length, 3, dev.output());
    assertEquals(
      Object.values(dev.pids).filter(alive),
      [],
      "every service exited",
    );
    assertStringIncludes(
      dev.output(),
      "Stopped: frontend exit 0, thoughts exit 0, users exit 0",
    );
  }
});

Deno.test("a first run on a fresh machine prints no warning box and no deprecation warning", async () => {
  // An empty Deno cache: every npm package is fetched and set up, as on a
  // newcomer's first commands. Not quiet (-q): `deno task` warns itself.
  const cache = await Deno.makeTempDir({ prefix: "thoughts_deno_dir_" });
  const task = async (...args: string[]) => {
    const run = await runDeno(["task", ...args], {
      DENO_DIR: cache,
      NO_COLOR: "1",
    });
    assertEquals(run.code, 0, run.stderr);
    return run.stderr;
  };
  try {
    let said = await task("dev", "--help");
    const dev = await runDev({ DENO_DIR: cache });
    dev.process.kill("SIGINT");
    await dev.finished();
    // The services' own output reaches dev's standard output, prefixed.
    said += dev.output() + await dev.stderr;
    said += await task("k8s:check");
    for (const warning of ["Warning", "Deprecation", "Ignored build scripts"]) {
      assertOk(!said.includes(warning), said);
    }
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("deno task dev stops all three when its terminal closes (SIGHUP)", async () => {
  const dev = await runDev();
  dev.process.kill("SIGHUP");
  const status = await dev.finished();
  assertEquals(status.code, 0, await dev.stderr);
  assertEquals(
    Object.values(dev.pids).filter(alive),
    [],
    "every service exited",
  );
});

Deno.test("deno task dev stops all three when the process that started it is killed", async () => {
  const dev = await runDev();
  // No signal reaches dev itself: its parent, `deno task`, just vanishes.
  dev.process.kill("SIGKILL");
  const deadline = Date.now() + 15_000;
  while (Object.values(dev.pids).some(alive) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  assertEquals(
    Object.values(dev.pids).filter(alive),
    [],
    "every service exited",
  );
  await dev.finished();
});

Deno.test("deno task dev stops the others with a non-zero exit when one service crashes", async () => {
  const dev = await runDev();
  assertEquals(Object.keys(dev.pids).sort(), ["frontend", "thoughts", "users"]);
  Deno.kill(dev.pids.thoughts!, "SIGKILL");
  const status = await dev.finished();
  assertEquals(status.code, 1);
  assertStringIncludes(await dev.stderr, "thoughts crashed");
  assertEquals(Object.values(dev.pids).filter(alive), []);
});

Deno.test("dev.env parses and names only configuration variables", async () => {
  const env = parseEnvFile(await Deno.readTextFile(`${root}/dev.env`));
  assertEquals(env.DATABASE_ENGINE, "PGLITE");
  assertOk(
    !Object.keys(env).some((k) => /PASSWORD|KEY|SECRET/.test(k)),
    "no secrets in the env file",
  );
});

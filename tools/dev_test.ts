import {
  assertEquals,
  assertOk,
  assertStringIncludes,
  freePort,
} from "@thoughts/shared/testing";
import { parseEnvFile } from "./dev/env_file.ts";
import { SAMPLE_USERS } from "./dev/seed.ts";

const root = new URL("../", import.meta.url).pathname;

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

Deno.test("deno task dev runs the system, logs a sample user in, and stops all three on SIGINT", async () => {
  const data = await Deno.makeTempDir({ prefix: "thoughts_dev_data_" });
  const keys = await Deno.makeTempDir({ prefix: "thoughts_dev_keys_" });
  await Deno.remove(keys);
  const ports = {
    users: freePort(),
    thoughts: freePort(),
    frontend: freePort(),
  };
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "-q",
      "dev",
      "--users-port",
      String(ports.users),
      "--thoughts-port",
      String(ports.thoughts),
      "--frontend-port",
      String(ports.frontend),
      "--data",
      data,
      "--keys",
      keys,
    ],
    cwd: root,
    // As on a newcomer's machine: none of the test run's database settings.
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const reader = (async () => {
    for await (
      const text of process.stdout.pipeThrough(new TextDecoderStream())
    ) output += text;
  })();
  const errors = (async () => {
    let all = "";
    for await (
      const text of process.stderr.pipeThrough(new TextDecoderStream())
    ) all += text;
    return all;
  })();
  const deadline = Date.now() + 120_000;
  while (
    !output.includes("Press Ctrl-C") && Date.now() < deadline &&
    !output.includes("Cannot start")
  ) {
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    assertStringIncludes(
      output,
      `frontend          http://127.0.0.1:${ports.frontend}/`,
    );
    assertStringIncludes(
      output,
      `http://127.0.0.1:${ports.frontend}/admin/versions/`,
    );
    const { username, password } = SAMPLE_USERS[0];
    assertStringIncludes(output, `${username} / ${password}`);
    // Development keys were generated, not the built-in test keys.
    assertOk(!output.includes("Using the built-in test keys"));
    assertOk((await Deno.stat(`${keys}/private_key.pem`)).isFile);

    const frontend = `http://127.0.0.1:${ports.frontend}`;
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
    process.kill("SIGINT");
    const status = await process.status;
    await reader;
    const stderr = await errors;
    assertEquals(status.code, 0, stderr);
    const pids = [...output.matchAll(/ready at \S+ \(pid (\d+)\)/g)].map((m) =>
      Number(m[1])
    );
    assertEquals(pids.length, 3, output);
    assertEquals(pids.filter(alive), [], "every service exited");
    assertStringIncludes(
      output,
      "Stopped: frontend exit 0, thoughts exit 0, users exit 0",
    );
    await Deno.remove(data, { recursive: true });
    await Deno.remove(keys, { recursive: true });
  }
});

Deno.test("deno task dev stops the others with a non-zero exit when one service crashes", async () => {
  const data = await Deno.makeTempDir({ prefix: "thoughts_dev_data_" });
  const keys = `${data}/keys`;
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "-q",
      "dev",
      "--users-port",
      String(freePort()),
      "--thoughts-port",
      String(freePort()),
      "--frontend-port",
      String(freePort()),
      "--data",
      data,
      "--keys",
      keys,
    ],
    cwd: root,
    // As on a newcomer's machine: none of the test run's database settings.
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const reader = (async () => {
    for await (
      const text of process.stdout.pipeThrough(new TextDecoderStream())
    ) output += text;
  })();
  const stderr = new Response(process.stderr).text();
  const deadline = Date.now() + 120_000;
  while (!output.includes("Press Ctrl-C") && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const pids: Record<string, number> = Object.fromEntries(
    [...output.matchAll(/(\w+) ready at \S+ \(pid (\d+)\)/g)].map((
      m,
    ) => [m[1], Number(m[2])]),
  );
  if (!output.includes("Press Ctrl-C")) {
    process.kill("SIGKILL");
    throw new Error(
      `deno task dev did not get ready:\n${output}\n${await stderr}`,
    );
  }
  assertEquals(Object.keys(pids).sort(), ["frontend", "thoughts", "users"]);
  Deno.kill(pids.thoughts!, "SIGKILL");
  const status = await process.status;
  await reader;
  assertEquals(status.code, 1);
  assertStringIncludes(await stderr, "thoughts crashed");
  assertEquals(Object.values(pids).filter(alive), []);
  await Deno.remove(data, { recursive: true });
});

Deno.test("dev.env parses and names only configuration variables", async () => {
  const env = parseEnvFile(await Deno.readTextFile(`${root}/dev.env`));
  assertEquals(env.DATABASE_ENGINE, "PGLITE");
  assertOk(
    !Object.keys(env).some((k) => /PASSWORD|KEY|SECRET/.test(k)),
    "no secrets in the env file",
  );
});

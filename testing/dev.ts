/**
 * `deno task dev` as a user runs it, on free ports and temporary folders,
 * for tests that need the whole system running from source.
 *
 * @module
 */

import { testRuntime } from "./runtime.ts";
import { freePort } from "./services.ts";
import { cleanEnv } from "./run_deno.ts";

const root = new URL("../", import.meta.url).pathname;

/** A running `deno task dev`. */
export interface DevSystem {
  ports: { users: number; thoughts: number; frontend: number };
  /** The temporary folder of its data and keys. */
  data: string;
  /** Each service's process, from its output. */
  pids: Record<string, number>;
  process: Deno.ChildProcess;
  stderr: Promise<string>;
  /** Everything it printed so far. */
  output(): string;
  /** Waits for its end and removes its folder. */
  finished(): Promise<Deno.CommandStatus>;
}

/**
 * Starts `deno task dev` and waits until it says it is ready.
 *
 * @param env More environment for it.
 * @returns Its ports, data folder, service pids, process and output; `finished()` waits for its end and removes the folder.
 * @throws {Error} With its output, when it does not get ready in two minutes.
 * @example Usage
 * ```ts
 * import { runDev } from "./dev.ts";
 *
 * const dev = await runDev();
 * dev.process.kill("SIGINT");
 * await dev.finished();
 * ```
 */
export async function runDev(
  env: Record<string, string> = {},
): Promise<DevSystem> {
  const data = await Deno.makeTempDir({ prefix: "thoughts_dev_" });
  const ports = {
    users: freePort(),
    thoughts: freePort(),
    frontend: freePort(),
  };
  const flags = {
    "users-port": ports.users,
    "thoughts-port": ports.thoughts,
    "frontend-port": ports.frontend,
    data: `${data}/data`,
    keys: `${data}/keys`,
    // The services on the tests' runtime (TEST_RUNTIME).
    runtime: testRuntime(),
  };
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "-q",
      "dev",
      ...Object.entries(flags).flatMap(([k, v]) => [
        `--${k}`,
        String(v),
      ]),
    ],
    cwd: root,
    // As on a newcomer's machine: none of the test run's database settings.
    clearEnv: true,
    env: cleanEnv(env),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(process.stderr).text();
  const { output, reader } = await untilReady(process, stderr);
  const pids: Record<string, number> = Object.fromEntries(
    [...output().matchAll(/(\w+) ready at \S+ \(pid (\d+)\)/g)].map((
      m,
    ) => [m[1], Number(m[2])]),
  );
  return {
    ports,
    data,
    pids,
    process,
    stderr,
    output,
    async finished() {
      const status = await process.status;
      await reader;
      await Deno.remove(data, { recursive: true });
      return status;
    },
  };
}

// Reads its output until it says it is ready; kills it when it says it
// cannot start, or says nothing in two minutes.
async function untilReady(
  process: Deno.ChildProcess,
  stderr: Promise<string>,
): Promise<{ output: () => string; reader: Promise<void> }> {
  let output = "";
  const reader = (async () => {
    for await (
      const text of process.stdout.pipeThrough(new TextDecoderStream())
    ) output += text;
  })();
  const deadline = Date.now() + 120_000;
  while (
    !output.includes("Press Ctrl-C") && !output.includes("Cannot start") &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!output.includes("Press Ctrl-C")) {
    process.kill("SIGKILL");
    throw new Error(
      `deno task dev did not get ready:\n${output}\n${await stderr}`,
    );
  }
  return { output: () => output, reader };
}

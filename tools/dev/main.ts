/**
 * `deno task dev [--reset] [--runtime deno|node|bun] [--users-port N]
 * [--thoughts-port N] [--frontend-port N] [--data DIR] [--keys DIR]`: the
 * whole system locally, on the embedded database, with generated
 * development keys and sample data.
 *
 * @module
 */

import { V8_FLAGS } from "../build/services.ts";
import { onStop } from "../teardown.ts";
import { parseCli, type Usage, usageError } from "../cli.ts";
import { ADMIN_TOKEN_FILE } from "@thoughts/shared/auth";
import { ensureDevKeys } from "./_keys.ts";
import { SAMPLE_USERS, seed } from "./_seed.ts";
import { devCommand, type DevRuntime } from "./_runtime.ts";
import { Supervisor } from "./_supervisor.ts";
import { ROOT as root } from "../root.ts";

const USAGE: Usage = {
  task: "dev",
  synopsis:
    "[--reset] [--runtime deno|node|bun] [--users-port N] [--thoughts-port N]\n  [--frontend-port N] [--data DIR] [--keys DIR]",
  summary:
    "Runs users, thoughts and the frontend locally on the embedded database, with\ngenerated development secrets and sample data; Ctrl-C stops all three.",
  options: [
    ["--reset", "delete the local data first"],
    [
      "--runtime R",
      "deno (default, from source), or node or bun (a bundle, pinned runtime)",
    ],
    ["--users-port N", "the users service's port (default: 8002)"],
    ["--thoughts-port N", "the thoughts service's port (default: 8001)"],
    ["--frontend-port N", "the frontend's port (default: 8000)"],
    ["--data DIR", "the databases' folder (default: .data)"],
    ["--keys DIR", "the secrets' folder (default: .keys)"],
  ],
  example: "deno task dev --reset",
};

type Options = ReturnType<typeof options>;
type Urls = Record<"users" | "thoughts" | "frontend", string>;

function options(args: string[]) {
  const { values } = parseCli(USAGE, {
    args,
    options: {
      reset: { type: "boolean", default: false },
      runtime: { type: "string", default: "deno" },
      "users-port": { type: "string", default: "8002" },
      "thoughts-port": { type: "string", default: "8001" },
      "frontend-port": { type: "string", default: "8000" },
      data: { type: "string", default: `${root}/.data` },
      keys: { type: "string", default: `${root}/.keys` },
    },
  });
  for (
    const name of ["users-port", "thoughts-port", "frontend-port"] as const
  ) {
    if (
      !/^[1-9][0-9]{0,4}$/.test(values[name]) || Number(values[name]) > 65535
    ) {
      usageError(
        "dev",
        `--${name} must be a port number, got '${values[name]}'`,
      );
    }
  }
  if (!["deno", "node", "bun"].includes(values.runtime)) {
    usageError(
      "dev",
      `--runtime is 'deno', 'node' or 'bun', got '${values.runtime}'`,
    );
  }
  return { ...values, runtime: values.runtime as DevRuntime };
}

/**
 * Runs the system until SIGINT or SIGTERM, or until a service crashes.
 *
 * @param args The command-line arguments.
 * @returns The exit code: 0 after a clean stop, 1 after a crash.
 */
async function dev(args: string[]): Promise<number> {
  const values = options(args);
  const data = values.data;
  if (values.reset) {
    await Deno.remove(data, { recursive: true }).catch(() => {});
    console.log(`Removed the local data in ${data}`);
  }
  if (await ensureDevKeys(values.keys)) {
    console.log(`Generated development secrets in ${values.keys}`);
  }
  const firstRun =
    !(await Deno.stat(`${data}/seeded`).then(() => true, () => false));
  await Deno.mkdir(data, { recursive: true });
  const url = (port: string) => `http://127.0.0.1:${port}`;
  const urls = {
    users: url(values["users-port"]),
    thoughts: url(values["thoughts-port"]),
    frontend: url(values["frontend-port"]),
  };
  const supervisor = new Supervisor();
  let done: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => done = resolve);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const codes = await supervisor.stopAll();
    console.log(
      `Stopped: ${
        Object.entries(codes).map(([n, c]) => `${n} exit ${c}`).join(", ")
      }`,
    );
    done(code);
  };
  supervisor.onCrash((child, status) => {
    console.error(
      `${child.name} crashed (exit ${status.code}); stopping the others`,
    );
    stop(1);
  });
  // Ctrl-C, a process manager or the terminal closing (exit 0), or the
  // process that started it dies (a killed terminal or runner: exit 1).
  onStop(({ parent }) => stop(parent ? 1 : 0));
  try {
    await startAll(supervisor, values, urls);
    if (firstRun) await seedOnce(values, urls);
  } catch (error) {
    console.error(`Cannot start the system: ${(error as Error).message}`);
    await stop(1);
    return await finished;
  }
  console.log(`
Thoughts is running on ${values.runtime}:
  frontend          ${urls.frontend}/
  version dashboard ${urls.frontend}/admin/versions/
  users API         ${urls.users}/docs/  (${urls.users}/openapi.json)
  thoughts API      ${urls.thoughts}/docs/  (${urls.thoughts}/openapi.json)
Press Ctrl-C to stop.`);
  return await finished;
}

// The three services in order, each ready before the next starts.
async function startAll(
  supervisor: Supervisor,
  values: Options,
  urls: Urls,
): Promise<void> {
  const common = {
    APP_ENV: "development",
    // One compact line per request for the console; JSON in the cluster.
    LOG_FORMAT: "pretty",
    SHUTDOWN_DELAY_SECONDS: "0",
    HOST: "127.0.0.1",
    SECRETS_DIR: values.keys,
    THOUGHTS_BACKEND_URL: urls.thoughts,
    USER_BACKEND_URL: urls.users,
    DENO_V8_FLAGS: V8_FLAGS,
  };
  for (const service of ["users", "thoughts", "frontend"] as const) {
    const env = {
      ...common,
      PORT: values[`${service}-port`],
      ...(service !== "frontend" &&
        { PGLITE_DATA_DIR: `${values.data}/${service}` }),
    };
    const child = await supervisor.start(
      service,
      await devCommand(values.runtime, service, root),
      env,
      urls[service],
    );
    console.log(`${service} ready at ${child.url} (pid ${child.process.pid})`);
  }
}

// Sample accounts and thoughts, on the first run only.
async function seedOnce(values: Options, urls: Urls): Promise<void> {
  const adminToken = (await Deno.readTextFile(
    `${values.keys}/${ADMIN_TOKEN_FILE}`,
  )).trim();
  await seed(urls.users, urls.thoughts, adminToken);
  await Deno.writeTextFile(`${values.data}/seeded`, "");
  console.log(
    `Sample users: ${
      SAMPLE_USERS.map((u) => `${u.username} / ${u.password}`).join(", ")
    }`,
  );
}

if (import.meta.main) Deno.exit(await dev(Deno.args));

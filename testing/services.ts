/**
 * Real service processes for end-to-end tests: each on a free loopback
 * port, with its own database on the engine the tests run on.
 *
 * @module
 */

import { TEST_ADMIN_TOKEN, TEST_KEYS_DIR } from "./test_keys.ts";
import {
  testEngine,
  testPostgresAdmin,
  testPostgresSettings,
} from "./database.ts";
import { type UsersApi, usersApi } from "./users_api.ts";
import { cleanEnv } from "./run_deno.ts";
import { serviceCommand, type TestRuntime, testRuntime } from "./runtime.ts";

/** Options of {@linkcode startService}. */
export interface StartOptions {
  /** How long to wait for readiness; 60 s by default. */
  timeoutMs?: number;
  /** Deno's permission flags; all (`-A`) by default. */
  permissions?: string[];
  /** `discard` spares collecting stdout (benchmarks); stderr is kept. */
  stdout?: "collect" | "discard";
  /** What runs it; the tests' runtime (`TEST_RUNTIME`) by default. */
  runtime?: TestRuntime;
  /** More flags for the runtime, e.g. `--cpu-prof`. */
  flags?: string[];
}

/** A running service process. */
export interface ServiceProcess extends AsyncDisposable {
  /** The base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Sends a signal and waits for the exit status. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
  /** The process. */
  process: Deno.ChildProcess;
}

/**
 * A free TCP port on 127.0.0.1.
 *
 * @returns The port.
 * @example Usage
 * ```ts
 * import { freePort } from "./services.ts";
 *
 * const port = freePort();
 * ```
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/**
 * Database settings for one service process: a fresh PGlite data folder,
 * or a fresh database on the PostgreSQL server.
 *
 * @returns The environment variables and a cleanup.
 * @example Usage
 * ```ts
 * import { serviceDatabase } from "./services.ts";
 *
 * await using db = await serviceDatabase();
 * ```
 */
export async function serviceDatabase(): Promise<
  AsyncDisposable & { env: Record<string, string> }
> {
  if (testEngine() === "PGLITE") {
    const dir = await Deno.makeTempDir({ prefix: "thoughts_pglite_" });
    return {
      env: { DATABASE_ENGINE: "PGLITE", PGLITE_DATA_DIR: dir },
      [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
    };
  }
  const settings = testPostgresSettings();
  const name = `e2e_${crypto.randomUUID().replaceAll("-", "")}`;
  const admin = testPostgresAdmin();
  await admin.unsafe(`CREATE DATABASE ${name}`);
  return {
    env: {
      DATABASE_ENGINE: "POSTGRES",
      POSTGRES_HOST: settings.host,
      POSTGRES_PORT: String(settings.port),
      POSTGRES_USER: settings.user,
      POSTGRES_PASSWORD: settings.password,
      POSTGRES_DB: name,
    },
    async [Symbol.asyncDispose]() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * Starts a service on the tests' runtime (`deno run -A <entry>`, or its
 * bundle on Node or Bun: see `TEST_RUNTIME`) with a clean environment plus
 * `env`, on a free port, with the test keys unless `env` names a `SECRETS_DIR`, and waits until `/readyz` answers 200.
 *
 * @param entry The entry module path, e.g. `users/main.ts`.
 * @param env The service's environment.
 * @param options How long to wait for readiness (60 s); Deno's permission
 *   flags (`-A`); `stdout: "discard"` spares the collecting (benchmarks),
 *   keeping only stderr; the runtime (the tests', `TEST_RUNTIME`).
 * @returns The running process.
 * @throws {Error} With the process output when it exits or never gets ready.
 * @example Usage
 * ```ts
 * import { startService } from "./services.ts";
 *
 * await using users = await startService("users/main.ts", { DATABASE_ENGINE: "PGLITE", APP_ENV: "test" });
 * ```
 */
export async function startService(
  entry: string,
  env: Record<string, string>,
  options: StartOptions = {},
): Promise<ServiceProcess> {
  const { timeoutMs = 60_000, stdout = "collect" } = options;
  const port = env.PORT ? Number(env.PORT) : freePort();
  const { program, args } = await serviceCommand(
    entry,
    options.permissions ?? ["-A"],
    options.runtime ?? testRuntime(),
    options.flags,
  );
  const process = new Deno.Command(program, {
    args,
    clearEnv: true,
    env: cleanEnv({
      HOST: "127.0.0.1",
      SHUTDOWN_DELAY_SECONDS: "0",
      SECRETS_DIR: TEST_KEYS_DIR,
      ...env,
      PORT: String(port),
    }),
    stdout: stdout === "collect" ? "piped" : "null",
    stderr: "piped",
  }).spawn();
  const { output, collected } = collectOutput(process, stdout === "collect");
  let exited: Deno.CommandStatus | undefined;
  const status = process.status.then(async (s) => {
    exited = s;
    await collected;
    return s;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal: Deno.Signal = "SIGTERM") => {
    if (!exited) {
      try {
        process.kill(signal);
      } catch { /* already gone */ }
    }
    return await status;
  };
  await untilReady(entry, url, timeoutMs, {
    exited: () => exited,
    stop,
    output,
  });
  return {
    url,
    output,
    stop,
    process,
    async [Symbol.asyncDispose]() {
      await stop("SIGKILL");
    },
  };
}

// What the process prints, kept as it comes; `collected` settles at its end.
function collectOutput(process: Deno.ChildProcess, stdout: boolean) {
  const chunks: string[] = [];
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      chunks.push(text);
    }
  };
  const collected = Promise.all([
    stdout ? collect(process.stdout) : undefined,
    collect(process.stderr),
  ]);
  return { output: () => chunks.join(""), collected };
}

// Polls `/readyz` until it answers 200; a process that exits first, or is
// not ready in time (then killed), fails with what it printed.
async function untilReady(
  entry: string,
  url: string,
  timeoutMs: number,
  child: {
    exited: () => Deno.CommandStatus | undefined;
    stop: (signal: Deno.Signal) => Promise<Deno.CommandStatus>;
    output: () => string;
  },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const exited = child.exited();
    if (exited) {
      throw new Error(
        `${entry} exited with ${exited.code} before ready:\n${child.output()}`,
      );
    }
    const ready = await fetch(`${url}/readyz`).then(
      async (r) => (await r.body?.cancel(), r.ok),
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) {
      await child.stop("SIGKILL");
      throw new Error(
        `${entry} not ready after ${timeoutMs} ms:\n${child.output()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Users and thoughts running as real processes, each on its own database. */
export interface RunningBackends extends AsyncDisposable, UsersApi {
  /** The users service. */
  users: ServiceProcess;
  /** The thoughts service. */
  thoughts: ServiceProcess;
  /**
   * Counts a table's rows in a service's database, as the service sees it:
   * on PostgreSQL only, since a PGlite folder belongs to its one process.
   */
  count(service: "users" | "thoughts", table: string): Promise<number>;
}

/**
 * Starts the users and thoughts services from source, in parallel, each on
 * a fresh database of the tests' engine.
 *
 * @param env Environment for both (`common`) and for each service; `APP_ENV` is `test` unless set.
 * @returns The running services; dispose them to stop both and drop their databases.
 * @throws {Error} When a service does not get ready.
 * @example Usage
 * ```ts
 * import { startBackends } from "./services.ts";
 *
 * await using backends = await startBackends();
 * await backends.createUser("ada", "correct horse");
 * ```
 */
export async function startBackends(
  env: {
    common?: Record<string, string>;
    users?: Record<string, string>;
    thoughts?: Record<string, string>;
  } = {},
): Promise<RunningBackends> {
  const [usersDb, thoughtsDb] = await Promise.all([
    serviceDatabase(),
    serviceDatabase(),
  ]);
  const entry = (service: string) =>
    new URL(`../${service}/main.ts`, import.meta.url).pathname;
  const base = { APP_ENV: "test", ...env.common };
  const [users, thoughts] = await Promise.all([
    startService(entry("users"), { ...base, ...usersDb.env, ...env.users }),
    startService(entry("thoughts"), {
      ...base,
      ...thoughtsDb.env,
      ...env.thoughts,
    }),
  ]);
  // Accounts are created with the admin token users was given.
  const secrets = env.users?.SECRETS_DIR ?? env.common?.SECRETS_DIR ??
    TEST_KEYS_DIR;
  const adminToken = await Deno.readTextFile(`${secrets}/admin_token`).then(
    (text) => text.trim(),
    () => TEST_ADMIN_TOKEN,
  );
  const dbs = { users: usersDb.env, thoughts: thoughtsDb.env };
  return {
    users,
    thoughts,
    ...usersApi(users.url, fetch, adminToken),
    count: (service, table) => countRows(service, dbs[service], table),
    async [Symbol.asyncDispose]() {
      await Promise.all([users.stop("SIGKILL"), thoughts.stop("SIGKILL")]);
      await Promise.all([
        usersDb[Symbol.asyncDispose](),
        thoughtsDb[Symbol.asyncDispose](),
      ]);
    },
  };
}

// Rows in a table of a backend's PostgreSQL database, read beside it.
async function countRows(
  service: string,
  db: Record<string, string>,
  table: string,
): Promise<number> {
  if (db.DATABASE_ENGINE !== "POSTGRES") {
    throw new Error(`The ${service} process holds its PGlite folder`);
  }
  const sql = testPostgresAdmin({
    ...testPostgresSettings(),
    database: db.POSTGRES_DB!,
  });
  try {
    const [row] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${table}`);
    return row!.n as number;
  } finally {
    await sql.end();
  }
}

/**
 * Starts the frontend from source in front of running backends.
 *
 * @param backends The backends, from {@linkcode startBackends}.
 * @returns The running frontend; dispose it to stop it.
 * @throws {Error} When it does not get ready.
 * @example Usage
 * ```ts
 * import { startBackends, startFrontend } from "./services.ts";
 *
 * await using backends = await startBackends();
 * await using frontend = await startFrontend(backends);
 * (await fetch(`${frontend.url}/login/`).then((r) => r.text())).length > 0; // true
 * ```
 */
export function startFrontend(
  backends: Pick<RunningBackends, "users" | "thoughts">,
): Promise<ServiceProcess> {
  return startService(
    new URL("../frontend/main.ts", import.meta.url).pathname,
    {
      APP_ENV: "test",
      THOUGHTS_BACKEND_URL: backends.thoughts.url,
      USER_BACKEND_URL: backends.users.url,
    },
  );
}

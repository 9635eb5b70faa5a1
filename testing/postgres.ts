/**
 * A throwaway PostgreSQL cluster of its own, for tests that stop and start
 * the server and for benchmarks (needs PostgreSQL from apt, run as root).
 *
 * @module
 */

/** A running throwaway cluster. */
export interface ThrowawayPostgres extends AsyncDisposable {
  /** `POSTGRES_HOST`, `POSTGRES_PORT`, `POSTGRES_USER`, `POSTGRES_PASSWORD`. */
  env: Record<string, string>;
  /** Stops the server, keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** The server's main process (its sessions are children of it). */
  pid(): Promise<number>;
}

const script = new URL("../.ci/start_postgres", import.meta.url).pathname;

/**
 * Starts a cluster in a temporary folder on a free port.
 *
 * @returns The cluster; dispose it to stop it and delete its folder.
 * @throws {Error} When PostgreSQL is not installed or does not start.
 * @example Usage
 * ```ts
 * import { startThrowawayPostgres } from "./postgres.ts";
 * import { missing } from "./system_deps.ts";
 *
 * // Where PostgreSQL is installed (CI installs it).
 * if (!missing("postgresql")) {
 *   await using pg = await startThrowawayPostgres();
 *   pg.env.POSTGRES_HOST; // "127.0.0.1"
 * }
 * ```
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = await Deno.makeTempDir({ prefix: "thoughts_pg_" });
  await Deno.chmod(dir, 0o755);
  const out = await new Deno.Command(script, {
    args: [`${dir}/pg`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `Cannot start PostgreSQL (apt-get install postgresql): ${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  const vars = Object.fromEntries(
    [...new TextDecoder().decode(out.stdout).matchAll(/(\w+)=(\S+)/g)].map((
      m,
    ) => [m[1]!, m[2]!]),
  );
  const pgCtl = (...args: string[]) => runPgCtl(vars, args);
  const names = [
    "POSTGRES_HOST",
    "POSTGRES_PORT",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
  ];
  return {
    env: Object.fromEntries(names.map((n) => [n, vars[n]!])),
    stop: () => pgCtl("-m", "fast", "-w", "stop"),
    pid: async () =>
      Number(
        (await Deno.readTextFile(`${vars.PG_DATA}/postmaster.pid`)).split(
          "\n",
        )[0],
      ),
    start: () =>
      pgCtl(
        "-w",
        "-l",
        `${dir}/pg/server.log`,
        "-o",
        `-p ${vars.POSTGRES_PORT} -k ${dir}/pg -c listen_addresses=127.0.0.1`,
        "start",
      ),
    async [Symbol.asyncDispose]() {
      await pgCtl("-m", "immediate", "stop").catch(() => {});
      await Deno.remove(dir, { recursive: true });
    },
  };
}

// pg_ctl on the cluster, as the user that owns it.
async function runPgCtl(
  vars: Record<string, string>,
  args: string[],
): Promise<void> {
  const result = await new Deno.Command("runuser", {
    args: [
      ...["-u", "postgres", "--", `${vars.PG_BIN}/pg_ctl`, "-D", vars.PG_DATA!],
      ...args,
    ],
    stdout: "null",
    stderr: "null",
  }).output();
  if (!result.success) throw new Error(`pg_ctl ${args.join(" ")} failed`);
}

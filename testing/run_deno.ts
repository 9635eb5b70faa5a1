/**
 * Runs the Deno CLI as a user would, from the repository's root, with a
 * clean environment: the way tests check commands and start-up failures.
 *
 * @module
 */

import { serviceCommand } from "./runtime.ts";
import { TEST_KEYS_DIR } from "./test_keys.ts";

const root = new URL("../", import.meta.url).pathname;

/** What a finished `deno` command printed, and how it ended. */
export interface DenoRun {
  /** The exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
  /** How long it ran. */
  seconds: number;
}

// How this machine reaches the network: its certificate authorities and
// proxies. A child that downloads (a first run) needs them; they configure
// no service.
const NETWORK = [
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "DENO_CERT",
  "DENO_TLS_CA_STORE",
  "NODE_EXTRA_CA_CERTS",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
];

/**
 * The only variables a test's child process inherits: `PATH`, `HOME` and
 * the machine's network trust (certificate authorities, proxies), so no
 * setting of the test run (a database, a key folder) leaks into it.
 *
 * @param env More environment; it wins over the rest.
 * @returns The environment, for `Deno.Command` with `clearEnv: true`.
 * @example Usage
 * ```ts
 * import { cleanEnv } from "./run_deno.ts";
 *
 * cleanEnv({ PORT: "8000" }).PORT; // "8000"
 * ```
 */
export function cleanEnv(
  env: Record<string, string> = {},
): Record<string, string> {
  const network = NETWORK.flatMap((name) => {
    const value = Deno.env.get(name);
    return value === undefined ? [] : [[name, value]];
  });
  return {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "",
    ...Object.fromEntries(network),
    ...env,
  };
}

/**
 * Runs `deno <args>` at the repository's root with only `PATH`, `HOME`,
 * `APP_ENV=test`, the test keys' `SECRETS_DIR` and `env`, and waits for it.
 *
 * @param args The arguments after `deno`.
 * @param env More environment; it wins over the defaults.
 * @returns The exit code, the output and the time taken.
 * @example Usage
 * ```ts
 * import { runDeno } from "./run_deno.ts";
 *
 * const { code, stdout } = await runDeno(["eval", "console.log(Deno.env.get('APP_ENV'))"]);
 * [code, stdout]; // [0, "test\n"]
 * ```
 */
export async function runDeno(
  args: string[],
  env: Record<string, string> = {},
): Promise<DenoRun> {
  return await run(Deno.execPath(), args, env);
}

/**
 * Runs a service to its end on the tests' runtime (see `TEST_RUNTIME`),
 * with the environment {@linkcode runDeno} gives: for start-up refusals.
 *
 * @param entry The service's `main.ts`, e.g. `users/main.ts`.
 * @param env More environment; it wins over the defaults.
 * @returns The exit code, the output and the time taken.
 * @example Usage
 * ```ts
 * import { runService } from "./run_deno.ts";
 *
 * const { code } = await runService("users/main.ts", { DATABASE_ENGINE: "MYSQL" });
 * code; // 1
 * ```
 */
export async function runService(
  entry: string,
  env: Record<string, string> = {},
): Promise<DenoRun> {
  const { program, args } = await serviceCommand(entry);
  return await run(program, args, env);
}

async function run(
  program: string,
  args: string[],
  env: Record<string, string>,
): Promise<DenoRun> {
  const started = performance.now();
  const out = await new Deno.Command(program, {
    args,
    cwd: root,
    clearEnv: true,
    env: cleanEnv({ APP_ENV: "test", SECRETS_DIR: TEST_KEYS_DIR, ...env }),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    code: out.code,
    stdout: text(out.stdout),
    stderr: text(out.stderr),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Starts the thoughts service: `deno run -A thoughts/main.ts`, configured by
 * the environment.
 *
 * @module
 */

import type { BuildStamp } from "@thoughts/shared/version";
import type { Env } from "@thoughts/shared/config";
import process from "node:process";
import { runMain, type Server } from "@thoughts/shared/service";
import { startBackend } from "@thoughts/shared/backend";
import manifest from "./deno.json" with { type: "json" };
import { createApp } from "./app.ts";
import { loadThoughtsConfig } from "./config.ts";
import { createThoughtsStore } from "./store.ts";

/** The service name: tag prefix, log field, build info. */
export const SERVICE = "thoughts";

/**
 * Reads the configuration and serves; the thoughts service only verifies
 * tokens, so it never reads the private key.
 *
 * @param stamp The version stamped by `build.ts`; `null` when running from source.
 * @param env The environment; the process's by default.
 * @returns The running server.
 * @throws {ConfigError} On bad configuration; likewise KeyError, StoreError.
 * @example Usage
 * ```ts
 * import { main } from "./main.ts";
 *
 * // A configuration without its required values refuses to start.
 * await main(null, {}).catch((error) => error.name); // "ConfigError"
 * ```
 */
export async function main(
  stamp: BuildStamp | null,
  env: Env = process.env,
): Promise<Server> {
  const config = loadThoughtsConfig(env);
  return await startBackend({
    service: SERVICE,
    declared: manifest.version,
    requires: manifest.requires,
    instance: env.HOSTNAME,
    stamp,
    cwd: import.meta.dirname ?? ".",
    config,
    signs: false,
    openStore: (db) => createThoughtsStore(db, config.SEARCH_TIMEOUT_MS),
    createApp: (context) =>
      createApp({
        ...context,
        searchConcurrency: config.SEARCH_CONCURRENCY,
        searchQueue: config.SEARCH_QUEUE,
      }),
  });
}

if (import.meta.main) await runMain(SERVICE, () => main(null));

/**
 * Starts the thoughts service: `deno run -A thoughts/main.ts`, configured by
 * the environment.
 *
 * @module
 */

import { type BuildStamp, runMain, startBackend } from "@thoughts/shared";
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
 * @returns The running server.
 * @throws {ConfigError} On bad configuration; likewise KeyError, StoreError.
 * @example Usage
 * ```ts
 * import { main } from "./main.ts";
 *
 * await main(null);
 * ```
 */
export function main(stamp: BuildStamp | null): Promise<Deno.HttpServer> {
  return startBackend({
    service: SERVICE,
    declared: manifest.version,
    stamp,
    cwd: import.meta.dirname ?? ".",
    config: loadThoughtsConfig(Deno.env.toObject()),
    signs: false,
    openStore: createThoughtsStore,
    createApp,
  });
}

if (import.meta.main) await runMain(SERVICE, () => main(null));

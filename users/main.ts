/**
 * Starts the users service: `deno run -A users/main.ts`, configured by the
 * environment.
 *
 * @module
 */

import { type BuildStamp, runMain, startBackend } from "@thoughts/shared";
import manifest from "./deno.json" with { type: "json" };
import { createApp } from "./app.ts";
import { loadUsersConfig } from "./config.ts";
import { pbkdf2Hasher } from "./password.ts";
import { createUsersStore } from "./store.ts";

/** The service name: tag prefix, log field, build info. */
export const SERVICE = "users";

/**
 * Reads the configuration and serves.
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
  const config = loadUsersConfig(Deno.env.toObject());
  return startBackend({
    service: SERVICE,
    declared: manifest.version,
    stamp,
    cwd: import.meta.dirname ?? ".",
    config,
    signs: true,
    openStore: createUsersStore,
    createApp: (context) =>
      createApp({
        ...context,
        hasher: pbkdf2Hasher(),
        tokenLifetime: config.TOKEN_LIFETIME_SECONDS,
      }),
  });
}

if (import.meta.main) await runMain(SERVICE, () => main(null));

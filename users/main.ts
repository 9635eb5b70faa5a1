/**
 * Starts the users service: `deno run -A users/main.ts`, configured by the
 * environment.
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
import { loadUsersConfig } from "./config.ts";
import { createHashGate } from "./hash_gate.ts";
import { createLoginThrottle } from "./login_throttle.ts";
import { pbkdf2Hasher } from "./password.ts";
import { createUsersStore } from "./store.ts";

/** The service name: tag prefix, log field, build info. */
export const SERVICE = "users";

/**
 * Reads the configuration and serves.
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
  const config = loadUsersConfig(env);
  return await startBackend({
    service: SERVICE,
    declared: manifest.version,
    requires: manifest.requires,
    instance: env.HOSTNAME,
    stamp,
    cwd: import.meta.dirname ?? ".",
    config,
    signs: true,
    openStore: createUsersStore,
    createApp: (context) =>
      createApp({
        ...context,
        hasher: pbkdf2Hasher(),
        gate: createHashGate({
          concurrency: config.LOGIN_HASH_CONCURRENCY,
          queue: config.LOGIN_HASH_QUEUE,
          trustedQueue: config.LOGIN_HASH_TRUSTED_QUEUE,
          perClient: config.LOGIN_HASH_PER_CLIENT,
        }),
        throttle: createLoginThrottle(context.store.throttle, {
          accountFailures: config.LOGIN_ACCOUNT_FAILURES,
          clientFailures: config.LOGIN_CLIENT_FAILURES,
          deviceFailures: config.LOGIN_DEVICE_FAILURES,
          lockSeconds: config.LOGIN_LOCK_SECONDS,
          maxLockSeconds: config.LOGIN_MAX_LOCK_SECONDS,
          maxRows: config.LOGIN_THROTTLE_MAX_ROWS,
        }),
        tokenLifetime: config.TOKEN_LIFETIME_SECONDS,
        deviceLifetime: config.LOGIN_DEVICE_LIFETIME_SECONDS,
        trustedProxyHops: config.TRUSTED_PROXY_HOPS,
      }),
  });
}

if (import.meta.main) await runMain(SERVICE, () => main(null));

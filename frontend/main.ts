/**
 * Starts the frontend: `deno run -A frontend/main.ts`, configured by the
 * environment. Before listening it checks each backend's minimum version.
 *
 * @module
 */

import {
  type BuildStamp,
  checkDependencies,
  resolveBuildInfo,
} from "@thoughts/shared/version";
import { dirSecretReader, type Env } from "@thoughts/shared/config";
import { createLogger } from "@thoughts/shared/log";
import { resolve4 } from "node:dns/promises";
import process from "node:process";
import {
  freshFetch,
  runMain,
  serve,
  type Server,
} from "@thoughts/shared/service";
import { readAdminToken, startKeyRing } from "@thoughts/shared/auth";
import manifest from "./deno.json" with { type: "json" };
import { createApp } from "./app.tsx";
import { createBackends } from "./backend_clients.ts";
import { loadFrontendConfig } from "./config.ts";
import { dependencies } from "./dependencies.ts";

/** The service name: tag prefix, log field, build info. */
export const SERVICE = "frontend";

/**
 * Reads the configuration, checks the dependencies and serves.
 *
 * @param stamp The version stamped by `build.ts`; `null` when running from source.
 * @param env The environment; the process's by default.
 * @returns The running server.
 * @throws {DependencyError} When a backend is too old or stays unreachable; likewise ConfigError, KeyError.
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
  const config = loadFrontendConfig(env);
  const logger = createLogger(SERVICE, config.LOG_FORMAT);
  const info = await resolveBuildInfo({
    service: SERVICE,
    declared: manifest.version,
    requires: manifest.requires,
    instance: env.HOSTNAME,
    stamp,
    cwd: import.meta.dirname ?? ".",
  });
  const secrets = dirSecretReader(config.SECRETS_DIR);
  const adminToken = await readAdminToken(secrets, config.APP_ENV);
  const ring = await startKeyRing({
    reader: secrets,
    appEnv: config.APP_ENV,
    signs: false,
    logger,
  });
  const deps = dependencies(config);
  await checkDependencies(deps, {
    timeoutMs: config.DEPENDENCY_TIMEOUT_SECONDS * 1000,
  });
  const lifecycle = { draining: false };
  const sampleFetch = await freshFetch();
  const app = createApp({
    backends: createBackends({
      usersUrl: config.USER_BACKEND_URL,
      thoughtsUrl: config.THOUGHTS_BACKEND_URL,
      fetch: (request) => fetch(request),
      // No pooled connection: each version sample may reach another replica.
      sampleFetch,
      timeoutMs: config.BACKEND_TIMEOUT_MS,
    }),
    keys: () => ring.current(),
    dependencies: deps,
    info,
    logger,
    now: () => new Date(),
    lifecycle,
    resolve: (host) => resolve4(host),
    trustedProxyHops: config.TRUSTED_PROXY_HOPS,
    adminToken,
  });
  logger("info", "Starting", { version: info.version, commit: info.commit });
  return serve({
    fetch: app.fetch,
    port: config.PORT,
    hostname: config.HOST,
    logger,
    lifecycle,
    close: () => Promise.resolve(ring.stop()),
    drainDelayMs: config.SHUTDOWN_DELAY_SECONDS * 1000,
  });
}

if (import.meta.main) await runMain(SERVICE, () => main(null));

/**
 * Starts the frontend: `deno run -A frontend/main.ts`, configured by the
 * environment. Before listening it checks each backend's minimum version.
 *
 * @module
 */

import { type BuildStamp, checkDependencies } from "@thoughts/shared/version";
import type { Env } from "@thoughts/shared/config";
import { resolve4 } from "node:dns/promises";
import process from "node:process";
import {
  freshFetch,
  runMain,
  type Server,
  startService,
} from "@thoughts/shared/service";
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
  const deps = dependencies(config);
  return await startService({
    service: SERVICE,
    declared: manifest.version,
    requires: manifest.requires,
    instance: env.HOSTNAME,
    stamp,
    cwd: import.meta.dirname ?? ".",
    config,
    signs: false,
    async prepare() {
      await checkDependencies(deps, {
        timeoutMs: config.DEPENDENCY_TIMEOUT_SECONDS * 1000,
      });
      return { context: { sampleFetch: await freshFetch() } };
    },
    createApp: ({ sampleFetch, ...context }) =>
      createApp({
        ...context,
        backends: createBackends({
          usersUrl: config.USER_BACKEND_URL,
          thoughtsUrl: config.THOUGHTS_BACKEND_URL,
          fetch: (request) => fetch(request),
          // No pooled connection: each version sample may reach another replica.
          sampleFetch,
          timeoutMs: config.BACKEND_TIMEOUT_MS,
        }),
        dependencies: deps,
        resolve: (host) => resolve4(host),
        trustedProxyHops: config.TRUSTED_PROXY_HOPS,
      }),
  });
}

if (import.meta.main) await runMain(SERVICE, () => main(null));

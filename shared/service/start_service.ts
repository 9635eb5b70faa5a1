/**
 * The start-up every service shares: its build info, its secrets and keys,
 * what it must have before it serves, its app, and the server that drains
 * on SIGTERM.
 *
 * @module
 */

import {
  type BuildInfo,
  resolveBuildInfo,
  type ResolveBuildInfoOptions,
} from "../version/build_info.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../log/log.ts";
import { createLogger } from "../log/pretty.ts";
import { readAdminToken } from "../auth/admin_token.ts";
import { startKeyRing } from "../auth/key_ring.ts";
import type { KeySet } from "../auth/key_set.ts";
import { dirSecretReader } from "../config/secrets.ts";
import type { commonVariables } from "../config/variables.ts";
import { type Lifecycle, serve, type Server } from "./serve.ts";

/** What every service's app gets from the start-up. */
export interface ServiceContext {
  /** The key set in force now; it changes when the key files do. */
  keys: () => KeySet;
  /** The admin token from `SECRETS_DIR`, read at start; none refuses admin writes. */
  adminToken: string | undefined;
  /** The running version and commit. */
  info: BuildInfo;
  /** The service's logger. */
  logger: Logger;
  /** The clock. */
  now: () => Date;
  /** Whether the process is shutting down. */
  lifecycle: Lifecycle;
}

/** What a service has ready before it serves: its own dependencies. */
export interface Prepared<X> {
  /** Added to the app's context. */
  context: X;
  /** Releases them when the server stops. */
  close?: () => Promise<void>;
  /** Fields of the "Starting" log line. */
  facts?: Record<string, unknown>;
}

/** How one service starts. */
export interface StartServiceOptions<X>
  extends Omit<ResolveBuildInfoOptions, "git"> {
  /** The loaded configuration. */
  config: Config<typeof commonVariables>;
  /** Whether the service signs tokens (needs `private_key.pem`). */
  signs: boolean;
  /** Readies what the service needs (a database, its backends) before it listens. */
  prepare: (context: ServiceContext) => Promise<Prepared<X>>;
  /** Builds the service's app. */
  createApp: (
    context: ServiceContext & X,
  ) => { fetch: (request: Request) => Response | Promise<Response> };
}

/**
 * Starts a service: build info, admin token and key ring from
 * `SECRETS_DIR`, then `prepare`, then the app, served until SIGTERM.
 *
 * @param options The service, its configuration and its hooks.
 * @returns The running server.
 * @throws {KeyError} Without the keys; likewise what `prepare` throws.
 * @example Usage
 * ```ts
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { startService } from "@thoughts/shared/service";
 *
 * // Without keys in SECRETS_DIR a service refuses to start, before it listens.
 * const keys = await mkdtemp(join(tmpdir(), "keys_"));
 * const start = startService({
 *   service: "frontend",
 *   declared: "v3.7",
 *   stamp: { version: "v3.7", commit: "c".repeat(40) },
 *   cwd: ".",
 *   config: {
 *     APP_ENV: "test", PORT: 8000, HOST: "127.0.0.1", SECRETS_DIR: keys,
 *     SHUTDOWN_DELAY_SECONDS: 0, LOG_FORMAT: "json", TRUSTED_PROXY_HOPS: 0,
 *   },
 *   signs: false,
 *   prepare: () => Promise.resolve({ context: {} }),
 *   createApp: () => ({ fetch: () => new Response("ok") }),
 * });
 * await start.catch((error) => error.name); // "KeyError"
 * await rm(keys, { recursive: true });
 * ```
 */
export async function startService<X>(
  options: StartServiceOptions<X>,
): Promise<Server> {
  const { service, config } = options;
  const logger = createLogger(service, config.LOG_FORMAT);
  const info = await resolveBuildInfo(options);
  const secrets = dirSecretReader(config.SECRETS_DIR);
  const adminToken = await readAdminToken(secrets, config.APP_ENV);
  const ring = await startKeyRing({
    reader: secrets,
    appEnv: config.APP_ENV,
    signs: options.signs,
    logger,
  });
  const context: ServiceContext = {
    keys: () => ring.current(),
    adminToken,
    info,
    logger,
    now: () => new Date(),
    lifecycle: { draining: false },
  };
  const prepared = await options.prepare(context).catch((error) => {
    ring.stop();
    throw error;
  });
  const app = options.createApp({ ...context, ...prepared.context });
  logger("info", "Starting", {
    version: info.version,
    commit: info.commit,
    ...prepared.facts,
    adminWrites: adminToken !== undefined,
  });
  return serve({
    fetch: app.fetch,
    port: config.PORT,
    hostname: config.HOST,
    logger,
    lifecycle: context.lifecycle,
    close: async () => {
      ring.stop();
      await prepared.close?.();
    },
    drainDelayMs: config.SHUTDOWN_DELAY_SECONDS * 1000,
  });
}

/**
 * The start-up both backends share: build info, keys, database with
 * migrations (retried while it is unreachable), then serve.
 *
 * @module
 */

import {
  type BuildInfo,
  type BuildStamp,
  resolveBuildInfo,
} from "../version/build_info.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../log/log.ts";
import { createLogger } from "../log/pretty.ts";
import { readAdminToken } from "../auth/admin_token.ts";
import { startKeyRing } from "../auth/key_ring.ts";
import type { KeySet } from "../auth/key_set.ts";
import { retry } from "../async/retry.ts";
import { dirSecretReader } from "../config/secrets.ts";
import { type Lifecycle, serve, type Server } from "../service/serve.ts";
import { type Database, StoreError } from "../store/database.ts";
import { openDatabase } from "../store/open.ts";
import {
  commonVariables,
  databaseConfig,
  databaseVariables,
} from "../config/variables.ts";

/** What a backend's `createApp` receives from start-up. */
export interface BackendContext<S> {
  /** The service's store, migrated. */
  store: S;
  /** The key set in force now; it changes when the key files do. */
  keys: () => KeySet;
  /** The admin token from `SECRETS_DIR`, read at start; none refuses admin writes. */
  adminToken: string | undefined;
  /** The running version and commit. */
  info: BuildInfo;
  /** The service's JSON logger. */
  logger: Logger;
  /** The clock. */
  now: () => Date;
  /** Resolves when the database answers; readiness calls it. */
  ping: () => Promise<void>;
  /** Whether the process is shutting down. */
  lifecycle: Lifecycle;
}

/** Options of {@linkcode startBackend}. */
export interface StartBackendOptions<S> {
  /** The service name and tag prefix. */
  service: string;
  /** The release declared in the service's `deno.json`. */
  declared: string;
  /** The `requires` of the service's `deno.json`. */
  requires?: unknown;
  /** The replica's name (`HOSTNAME`), reported by `/admin/version/`. */
  instance?: string;
  /** The stamp compiled in by `build.ts`, or `null` from source. */
  stamp: BuildStamp | null;
  /** The service's source folder, where git is asked. */
  cwd: string;
  /** The loaded configuration. */
  config: Config<typeof commonVariables & typeof databaseVariables>;
  /** Whether the service signs tokens (needs `private_key.pem`). */
  signs: boolean;
  /** Migrates the database and returns the service's store. */
  openStore: (db: Database) => Promise<S>;
  /** Builds the service's app. */
  createApp: (
    context: BackendContext<S>,
  ) => { fetch: (request: Request) => Response | Promise<Response> };
}

/**
 * Starts a backend service.
 *
 * @param options The service, its configuration, store and app.
 * @returns The running server.
 * @throws {KeyError} On missing or refused keys; {StoreError} when the database stays unreachable.
 * @example Usage
 * ```ts
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { startBackend } from "@thoughts/shared/backend";
 *
 * // Without keys in SECRETS_DIR a backend refuses to start, before it listens.
 * const keys = await mkdtemp(join(tmpdir(), "keys_"));
 * const start = startBackend({
 *   service: "thoughts",
 *   declared: "v1.6",
 *   stamp: { version: "v1.6", commit: "c".repeat(40) },
 *   cwd: ".",
 *   config: {
 *     APP_ENV: "test", PORT: 8001, HOST: "127.0.0.1", SECRETS_DIR: keys,
 *     SHUTDOWN_DELAY_SECONDS: 0, DATABASE_ENGINE: "PGLITE", POSTGRES_PORT: 5432,
 *     POSTGRES_HOST: undefined, POSTGRES_USER: undefined, POSTGRES_DB: undefined,
 *     POSTGRES_PASSWORD: undefined, PGLITE_DATA_DIR: undefined,
 *     POSTGRES_CONNECT_TIMEOUT_SECONDS: 3, POSTGRES_QUERY_TIMEOUT_SECONDS: 5,
 *     LOG_FORMAT: "json", TRUSTED_PROXY_HOPS: 0,
 *   },
 *   signs: false,
 *   openStore: () => Promise.resolve({}),
 *   createApp: () => ({ fetch: () => new Response("ok") }),
 * });
 * await start.catch((error) => error.code); // "missing"
 * await rm(keys, { recursive: true });
 * ```
 */
export async function startBackend<S>(
  options: StartBackendOptions<S>,
): Promise<Server> {
  const { service, config } = options;
  const logger = createLogger(service, config.LOG_FORMAT);
  const info = await resolveBuildInfo({
    service,
    declared: options.declared,
    requires: options.requires,
    instance: options.instance,
    stamp: options.stamp,
    cwd: options.cwd,
  });
  const secrets = dirSecretReader(config.SECRETS_DIR);
  const adminToken = await readAdminToken(secrets, config.APP_ENV);
  const ring = await startKeyRing({
    reader: secrets,
    appEnv: config.APP_ENV,
    signs: options.signs,
    logger,
  });
  const db = await openDatabase(databaseConfig(config));
  const store = await retry(() => options.openStore(db), {
    timeoutMs: 30_000,
    retryable: (error) =>
      error instanceof StoreError && error.code === "unavailable",
    onRetry: (_error, attempt) =>
      logger("warn", "Database unavailable; retrying", { attempt }),
  });
  const lifecycle = { draining: false };
  const app = options.createApp({
    store,
    keys: () => ring.current(),
    adminToken,
    info,
    logger,
    now: () => new Date(),
    ping: () => db.ping(),
    lifecycle,
  });
  logger("info", "Starting", {
    version: info.version,
    commit: info.commit,
    engine: db.engine,
    adminWrites: adminToken !== undefined,
  });
  return serve({
    fetch: app.fetch,
    port: config.PORT,
    hostname: config.HOST,
    logger,
    lifecycle,
    close: () => (ring.stop(), db.close()),
    drainDelayMs: config.SHUTDOWN_DELAY_SECONDS * 1000,
  });
}

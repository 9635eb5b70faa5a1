/**
 * The start-up both backends share: build info, keys, database with
 * migrations (retried while it is unreachable), then serve.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import { retry } from "../async/retry.ts";
import type { Server } from "../service/serve.ts";
import {
  type ServiceContext,
  startService,
  type StartServiceOptions,
} from "../service/start_service.ts";
import { type Database, StoreError } from "../store/database.ts";
import { openDatabase } from "../store/open.ts";
import {
  type commonVariables,
  databaseConfig,
  type databaseVariables,
} from "../config/variables.ts";

export interface BackendContext<S> extends ServiceContext {
  /** The service's store, migrated. */
  store: S;
  /** Resolves when the database answers; readiness calls it. */
  ping: () => Promise<void>;
}

/** Options of {@linkcode startBackend}. */
export interface StartBackendOptions<S> extends
  Omit<
    StartServiceOptions<{ store: S; ping: () => Promise<void> }>,
    "prepare" | "config"
  > {
  /** The loaded configuration. */
  config: Config<typeof commonVariables & typeof databaseVariables>;
  /** Migrates the database and returns the service's store. */
  openStore: (db: Database) => Promise<S>;
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
export function startBackend<S>(
  options: StartBackendOptions<S>,
): Promise<Server> {
  const { config } = options;
  return startService({
    ...options,
    async prepare({ logger }) {
      const db = await openDatabase(databaseConfig(config));
      const store = await retry(() => options.openStore(db), {
        timeoutMs: 30_000,
        retryable: (error) =>
          error instanceof StoreError && error.code === "unavailable",
        onRetry: (_error, attempt) =>
          logger("warn", "Database unavailable; retrying", { attempt }),
      }).catch(async (error) => {
        await db.close();
        throw error;
      });
      return {
        context: { store, ping: () => db.ping() },
        close: () => db.close(),
        facts: { engine: db.engine },
      };
    },
  });
}

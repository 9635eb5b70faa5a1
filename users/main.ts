/**
 * Starts the users service: `deno run -A users/main.ts`, configured by the
 * environment.
 *
 * @module
 */

import {
  type BuildStamp,
  databaseConfig,
  dirSecretReader,
  jsonLogger,
  loadKeySet,
  openDatabase,
  resolveBuildInfo,
  retry,
  runMain,
  serve,
  StoreError,
} from "@thoughts/shared";
import manifest from "./deno.json" with { type: "json" };
import { createApp } from "./app.ts";
import { loadUsersConfig } from "./config.ts";
import { pbkdf2Hasher } from "./password.ts";
import { createUsersStore } from "./store.ts";

/** The service name: tag prefix, log field, build info. */
export const SERVICE = "users";

/**
 * Reads the configuration, opens the database and keys, and serves.
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
export async function main(stamp: BuildStamp | null): Promise<Deno.HttpServer> {
  const config = loadUsersConfig(Deno.env.toObject());
  const logger = jsonLogger(SERVICE);
  const info = await resolveBuildInfo({
    service: SERVICE,
    declared: manifest.version,
    stamp,
    cwd: import.meta.dirname ?? ".",
  });
  const keySet = await loadKeySet({
    reader: dirSecretReader(config.SECRETS_DIR),
    appEnv: config.APP_ENV,
    signs: true,
  });
  if (keySet.isTestKeys) {
    logger("warn", "Using the built-in test keys", { appEnv: config.APP_ENV });
  }
  const db = await openDatabase(databaseConfig(config));
  const store = await retry(() => createUsersStore(db), {
    timeoutMs: 30_000,
    retryable: (error) =>
      error instanceof StoreError && error.code === "unavailable",
    onRetry: (_error, attempt) =>
      logger("warn", "Database unavailable; retrying", { attempt }),
  });
  const lifecycle = { draining: false };
  const app = createApp({
    store,
    hasher: pbkdf2Hasher(),
    keys: () => keySet,
    info,
    logger,
    tokenLifetime: config.TOKEN_LIFETIME_SECONDS,
    now: () => new Date(),
    ping: () => db.ping(),
    lifecycle,
  });
  logger("info", "Starting", {
    version: info.version,
    commit: info.commit,
    engine: db.engine,
  });
  return serve({
    fetch: app.fetch,
    port: config.PORT,
    hostname: config.HOST,
    logger,
    lifecycle,
    close: () => db.close(),
  });
}

if (import.meta.main) await runMain(SERVICE, () => main(null));

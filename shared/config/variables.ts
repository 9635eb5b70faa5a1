/**
 * The spec's configuration names, declared once so that every service means
 * the same thing by each of them.
 *
 * @module
 */

import { type Config, type Env, integer, oneOf, text } from "./config.ts";

/** The environments a service can run in; `production` is the default. */
export type AppEnv = "production" | "development" | "test";

/** Variables every service reads. */
export const commonVariables = {
  APP_ENV: oneOf(["production", "development", "test"] as const, {
    default: "production",
  }),
  PORT: integer({ default: 8000, min: 1, max: 65535 }),
  /** The listen address; tests and local runs bind 127.0.0.1. */
  HOST: text({ default: "0.0.0.0" }),
  SECRETS_DIR: text({ default: "/opt/keys" }),
  /** After SIGTERM, how long to keep serving with /readyz failing, so load balancers stop sending first. */
  SHUTDOWN_DELAY_SECONDS: integer({ default: 2, min: 0, max: 60 }),
  /** `json` for log collectors; `pretty` for a person (`deno task dev`). */
  LOG_FORMAT: oneOf(["json", "pretty"] as const, { default: "json" }),
  /** Proxies in front whose `X-Forwarded-For` entries are trusted; 0 ignores the header. */
  TRUSTED_PROXY_HOPS: integer({ default: 0, min: 0, max: 10 }),
};

const postgresSelected = {
  test: (env: Env) => env.DATABASE_ENGINE === "POSTGRES",
  reason: "when DATABASE_ENGINE is 'POSTGRES'",
};

/** Variables of the services that own a database. */
export const databaseVariables = {
  DATABASE_ENGINE: oneOf(["POSTGRES", "PGLITE"] as const),
  POSTGRES_HOST: text({ requiredWhen: postgresSelected }),
  POSTGRES_PORT: integer({ default: 5432, min: 1, max: 65535 }),
  POSTGRES_USER: text({ requiredWhen: postgresSelected }),
  POSTGRES_DB: text({ requiredWhen: postgresSelected }),
  POSTGRES_PASSWORD: text({ requiredWhen: postgresSelected, secret: true }),
  POSTGRES_CONNECT_TIMEOUT_SECONDS: integer({ default: 3, min: 1, max: 120 }),
  POSTGRES_QUERY_TIMEOUT_SECONDS: integer({ default: 5, min: 1, max: 600 }),
  PGLITE_DATA_DIR: text({ optional: true }),
};

/** Where a service's data lives: a PostgreSQL server or the embedded engine. */
export type DatabaseConfig =
  | {
    engine: "POSTGRES";
    host: string;
    port: number;
    user: string;
    database: string;
    password: string;
    /** Seconds to open a connection before a query fails. */
    connectTimeout: number;
    /** Seconds a query may take before it fails (migrations excepted). */
    queryTimeout: number;
  }
  | {
    engine: "PGLITE";
    /** The data folder; in memory when absent. */
    dataDir?: string;
  };

/**
 * Extracts the database settings of a loaded configuration.
 *
 * @param config A configuration loaded with {@linkcode databaseVariables}.
 * @returns The settings of the chosen engine.
 * @example Usage
 * ```ts
 * import { databaseConfig, databaseVariables } from "@thoughts/shared/config";
 * import { loadConfig } from "@thoughts/shared/config";
 *
 * const config = loadConfig(databaseVariables, { DATABASE_ENGINE: "PGLITE" });
 * databaseConfig(config); // { engine: "PGLITE", dataDir: undefined }
 * ```
 */
export function databaseConfig(
  config: Config<typeof databaseVariables>,
): DatabaseConfig {
  if (config.DATABASE_ENGINE === "PGLITE") {
    return Object.freeze({ engine: "PGLITE", dataDir: config.PGLITE_DATA_DIR });
  }
  // loadConfig has already refused a POSTGRES engine without these values.
  return Object.freeze({
    engine: "POSTGRES",
    host: config.POSTGRES_HOST as string,
    port: config.POSTGRES_PORT,
    user: config.POSTGRES_USER as string,
    database: config.POSTGRES_DB as string,
    password: config.POSTGRES_PASSWORD as string,
    connectTimeout: config.POSTGRES_CONNECT_TIMEOUT_SECONDS,
    queryTimeout: config.POSTGRES_QUERY_TIMEOUT_SECONDS,
  });
}

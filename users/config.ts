/**
 * The users service's configuration.
 *
 * @module
 */

import {
  commonVariables,
  type Config,
  databaseVariables,
  type Env,
  integer,
  loadConfig,
} from "@thoughts/shared/config";
import {
  DEFAULT_TOKEN_LIFETIME,
  MAX_TOKEN_LIFETIME,
} from "@thoughts/shared/auth";
import { MAX_DEVICE_LIFETIME } from "./device_tokens.ts";

/** Every variable the users service reads. */
export const usersVariables = {
  ...commonVariables,
  ...databaseVariables,
  TOKEN_LIFETIME_SECONDS: integer({
    default: DEFAULT_TOKEN_LIFETIME,
    min: 60,
    max: MAX_TOKEN_LIFETIME,
  }),
  LOGIN_ACCOUNT_FAILURES: integer({ default: 5, min: 1, max: 1000 }),
  LOGIN_CLIENT_FAILURES: integer({ default: 20, min: 1, max: 100_000 }),
  LOGIN_DEVICE_FAILURES: integer({ default: 5, min: 1, max: 1000 }),
  LOGIN_LOCK_SECONDS: integer({ default: 30, min: 1, max: 86_400 }),
  LOGIN_MAX_LOCK_SECONDS: integer({ default: 900, min: 1, max: 86_400 }),
  LOGIN_DEVICE_LIFETIME_SECONDS: integer({
    default: 30 * 86_400,
    min: 60,
    max: MAX_DEVICE_LIFETIME,
  }),
  LOGIN_THROTTLE_MAX_ROWS: integer({
    default: 10_000,
    min: 100,
    max: 10_000_000,
  }),
  LOGIN_HASH_CONCURRENCY: integer({ default: 2, min: 1, max: 64 }),
  LOGIN_HASH_QUEUE: integer({ default: 16, min: 0, max: 10_000 }),
  LOGIN_HASH_TRUSTED_QUEUE: integer({ default: 16, min: 0, max: 10_000 }),
  LOGIN_HASH_PER_CLIENT: integer({ default: 4, min: 1, max: 10_000 }),
};

/** The resolved configuration of the users service. */
export type UsersConfig = Config<typeof usersVariables>;

/**
 * Loads the users service's configuration.
 *
 * @param env The environment.
 * @returns The frozen configuration.
 * @throws {ConfigError} Naming every bad variable.
 * @example Usage
 * ```ts
 * import { loadUsersConfig } from "./config.ts";
 *
 * const config = loadUsersConfig({ DATABASE_ENGINE: "PGLITE" });
 * ```
 */
export function loadUsersConfig(env: Env): UsersConfig {
  return loadConfig(usersVariables, env);
}

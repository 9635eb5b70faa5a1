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
import { DEFAULT_TOKEN_LIFETIME } from "@thoughts/shared/auth";

/** Every variable the users service reads. */
export const usersVariables = {
  ...commonVariables,
  ...databaseVariables,
  TOKEN_LIFETIME_SECONDS: integer({
    default: DEFAULT_TOKEN_LIFETIME,
    min: 60,
    max: 30 * 24 * 3600,
  }),
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

/**
 * The thoughts service's configuration.
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

/** Every variable the thoughts service reads. */
export const thoughtsVariables = {
  ...commonVariables,
  ...databaseVariables,
  /** How long one search may run in the database before it is cut short. */
  SEARCH_TIMEOUT_MS: integer({ default: 1000, min: 50, max: 60_000 }),
  /** Searches run at once by one replica. */
  SEARCH_CONCURRENCY: integer({ default: 2, min: 1, max: 64 }),
  /** Searches waiting for a turn; more are refused with 503. */
  SEARCH_QUEUE: integer({ default: 32, min: 0, max: 10_000 }),
};

/** The resolved configuration of the thoughts service. */
export type ThoughtsConfig = Config<typeof thoughtsVariables>;

/**
 * Loads the thoughts service's configuration.
 *
 * @param env The environment.
 * @returns The frozen configuration.
 * @throws {ConfigError} Naming every bad variable.
 * @example Usage
 * ```ts
 * import { loadThoughtsConfig } from "./config.ts";
 *
 * const config = loadThoughtsConfig({ DATABASE_ENGINE: "PGLITE" });
 * ```
 */
export function loadThoughtsConfig(env: Env): ThoughtsConfig {
  return loadConfig(thoughtsVariables, env);
}

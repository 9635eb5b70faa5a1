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
  loadConfig,
} from "@thoughts/shared/config";

/** Every variable the thoughts service reads. */
export const thoughtsVariables = { ...commonVariables, ...databaseVariables };

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

/**
 * The frontend's configuration.
 *
 * @module
 */

import {
  commonVariables,
  type Config,
  type Env,
  httpUrl,
  integer,
  loadConfig,
} from "@thoughts/shared/config";

/** Every variable the frontend reads. */
export const frontendVariables = {
  ...commonVariables,
  THOUGHTS_BACKEND_URL: httpUrl(),
  USER_BACKEND_URL: httpUrl(),
  /** How long the startup check retries an unreachable dependency. */
  DEPENDENCY_TIMEOUT_SECONDS: integer({ default: 30, min: 0, max: 600 }),
  /** How long one call to a backend may take. */
  BACKEND_TIMEOUT_MS: integer({ default: 5000, min: 100, max: 60_000 }),
};

/** The resolved configuration of the frontend. */
export type FrontendConfig = Config<typeof frontendVariables>;

/**
 * Loads the frontend's configuration.
 *
 * @param env The environment.
 * @returns The frozen configuration.
 * @throws {ConfigError} Naming every bad variable.
 * @example Usage
 * ```ts
 * import { loadFrontendConfig } from "./config.ts";
 *
 * loadFrontendConfig({ THOUGHTS_BACKEND_URL: "http://thoughts-service", USER_BACKEND_URL: "http://users-service" });
 * ```
 */
export function loadFrontendConfig(env: Env): FrontendConfig {
  return loadConfig(frontendVariables, env);
}

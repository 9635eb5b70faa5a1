/**
 * The frontend's dependency check alone, run by `deno task check-deps`
 * (`tools/check_deps.ts`), e.g. as an init container.
 *
 * @module
 */

import process from "node:process";
import { checkDependencies } from "@thoughts/shared/version";
import { type Env, loadConfig } from "@thoughts/shared/config";
import { frontendVariables } from "./config.ts";
import { dependencies } from "./dependencies.ts";

/**
 * Runs the check with the frontend's configuration.
 *
 * @param env The environment; the process's by default.
 * @returns When every dependency holds its minimum.
 * @throws {DependencyError} Otherwise; {ConfigError} on bad configuration.
 * @example Usage
 * ```ts
 * import { checkDeps } from "./check_deps.ts";
 *
 * // Without the backends' URLs the check refuses to run.
 * await checkDeps({}).catch((error) => error.name); // "ConfigError"
 * ```
 */
export async function checkDeps(
  env: Env = process.env,
): Promise<void> {
  const { THOUGHTS_BACKEND_URL, USER_BACKEND_URL, DEPENDENCY_TIMEOUT_SECONDS } =
    frontendVariables;
  const config = loadConfig(
    { THOUGHTS_BACKEND_URL, USER_BACKEND_URL, DEPENDENCY_TIMEOUT_SECONDS },
    env,
  );
  await checkDependencies(dependencies(config), {
    timeoutMs: config.DEPENDENCY_TIMEOUT_SECONDS * 1000,
  });
}

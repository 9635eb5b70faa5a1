/**
 * The dependency check alone (`deno task check-deps`), e.g. as an init
 * container: exits 0 when every backend holds its minimum, 1 otherwise.
 *
 * @module
 */

import { checkDependencies, loadConfig, runMain } from "@thoughts/shared";
import { frontendVariables } from "./config.ts";
import { dependencies } from "./dependencies.ts";

/**
 * Runs the check with the frontend's configuration.
 *
 * @returns When every dependency holds its minimum.
 * @throws {DependencyError} Otherwise; {ConfigError} on bad configuration.
 * @example Usage
 * ```ts
 * import { checkDeps } from "./check_deps.ts";
 *
 * await checkDeps();
 * ```
 */
export async function checkDeps(): Promise<void> {
  const { THOUGHTS_BACKEND_URL, USER_BACKEND_URL, DEPENDENCY_TIMEOUT_SECONDS } =
    frontendVariables;
  const config = loadConfig(
    { THOUGHTS_BACKEND_URL, USER_BACKEND_URL, DEPENDENCY_TIMEOUT_SECONDS },
    Deno.env.toObject(),
  );
  await checkDependencies(dependencies(config), {
    timeoutMs: config.DEPENDENCY_TIMEOUT_SECONDS * 1000,
  });
}

if (import.meta.main) await runMain("check-deps", checkDeps);

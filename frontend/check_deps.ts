/**
 * The dependency check alone (`deno task check-deps`), e.g. as an init
 * container: exits 0 when every backend holds its minimum, 1 otherwise.
 *
 * @module
 */

import { checkDependencies } from "@thoughts/shared/version";
import { type Env, loadConfig } from "@thoughts/shared/config";
import { runMain } from "@thoughts/shared/service";
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
  env: Env = Deno.env.toObject(),
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

if (import.meta.main) {
  // No options: the backends come from the environment, as in the frontend.
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(
      "Usage: deno task check-deps\n\nChecks that the backends at THOUGHTS_BACKEND_URL and USER_BACKEND_URL run at least\nthe versions the frontend requires, retrying for DEPENDENCY_TIMEOUT_SECONDS.\n\nExample:\n  THOUGHTS_BACKEND_URL=http://127.0.0.1:8001 USER_BACKEND_URL=http://127.0.0.1:8002 deno task check-deps",
    );
    Deno.exit(0);
  }
  if (Deno.args.length > 0) {
    console.error(
      `check-deps: Unknown argument '${
        Deno.args[0]
      }'\nRun 'deno task check-deps --help' for usage.`,
    );
    Deno.exit(2);
  }
  await runMain("check-deps", () => checkDeps());
}

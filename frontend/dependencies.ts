/**
 * The services the frontend needs, and the lowest version of each: the one
 * place these minimums are declared.
 *
 * @module
 */

import type { Dependency } from "@thoughts/shared/version";
import type { FrontendConfig } from "./config.ts";

/** The minimum versions of the backends. */
export const MINIMUM_VERSIONS = {
  thoughts_backend: "v1.6",
  users_backend: "v2.3",
} as const;

/**
 * The frontend's dependencies at their configured URLs.
 *
 * @param config The frontend's configuration.
 * @returns The dependencies, in the order they are checked.
 * @example Usage
 * ```ts
 * import { dependencies } from "./dependencies.ts";
 *
 * const config = { THOUGHTS_BACKEND_URL: "http://thoughts-service", USER_BACKEND_URL: "http://users-service" };
 * dependencies(config).map((d) => d.name); // ["thoughts_backend", "users_backend"]
 * ```
 */
export function dependencies(
  config: Pick<FrontendConfig, "THOUGHTS_BACKEND_URL" | "USER_BACKEND_URL">,
): Dependency[] {
  return [
    {
      name: "thoughts_backend",
      url: config.THOUGHTS_BACKEND_URL,
      minimum: MINIMUM_VERSIONS.thoughts_backend,
    },
    {
      name: "users_backend",
      url: config.USER_BACKEND_URL,
      minimum: MINIMUM_VERSIONS.users_backend,
    },
  ];
}

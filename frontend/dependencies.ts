/**
 * The services the frontend needs, at the lowest versions its `deno.json`
 * requires (the one place they are declared), and where each is reached.
 *
 * @module
 */

import {
  type Dependency,
  parseRequires,
  type Requires,
  VersionError,
} from "@thoughts/shared/version";
import type { FrontendConfig } from "./config.ts";
import manifest from "./deno.json" with { type: "json" };

/** The setting that holds each dependency's URL. */
const URL_SETTINGS = {
  thoughts_backend: "THOUGHTS_BACKEND_URL",
  users_backend: "USER_BACKEND_URL",
} as const;

/**
 * The frontend's dependencies at their configured URLs.
 *
 * @param config The frontend's configuration.
 * @param requires The minimums; the frontend's `deno.json` by default.
 * @returns The dependencies, in the order they are checked.
 * @throws {VersionError} When a requirement names a service without a URL setting.
 * @example Usage
 * ```ts
 * import { dependencies } from "./dependencies.ts";
 *
 * const config = { THOUGHTS_BACKEND_URL: "http://thoughts-service", USER_BACKEND_URL: "http://users-service" };
 * dependencies(config).map((d) => `${d.name} ${d.minimum}`); // ["thoughts_backend v1.6", "users_backend v2.3"]
 * ```
 */
export function dependencies(
  config: Pick<FrontendConfig, "THOUGHTS_BACKEND_URL" | "USER_BACKEND_URL">,
  requires: Requires = parseRequires(manifest.requires, "frontend/deno.json"),
): Dependency[] {
  return Object.entries(requires).map(([name, minimum]) => {
    if (!Object.hasOwn(URL_SETTINGS, name)) {
      throw new VersionError(
        `The frontend requires '${name}', which no setting gives a URL`,
      );
    }
    const setting = URL_SETTINGS[name as keyof typeof URL_SETTINGS];
    return { name, url: config[setting], minimum };
  });
}

/**
 * What a service requires of the others: the lowest version of each
 * dependency, declared once in the service's `deno.json` (`requires`),
 * reported by `/admin/version/`, stamped into `version.json` and the
 * image's labels, and read back by `deno task release`.
 *
 * @module
 */

import { parseVersion, VersionError } from "./version.ts";

/** Dependency name (`<service>_backend`) to minimum version. */
export type Requires = Readonly<Record<string, string>>;

const NAME = /^([a-z][a-z0-9]*)_backend$/;

/**
 * Checks a declared `requires` object: each key a dependency name of the
 * form `<service>_backend`, each value a version.
 *
 * @param value The `requires` field as read (`undefined`: requires nothing).
 * @param where Where it was read, for the error, e.g. `thoughts/deno.json`.
 * @returns The requirements, frozen.
 * @throws {VersionError} Naming the entry that is wrong.
 * @example Usage
 * ```ts
 * import { parseRequires } from "./requires.ts";
 *
 * parseRequires({ users_backend: "v2.3" }, "thoughts/deno.json"); // { users_backend: "v2.3" }
 * ```
 */
export function parseRequires(value: unknown, where: string): Requires {
  if (value === undefined) return Object.freeze({});
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new VersionError(
      `The 'requires' of '${where}' is not an object of versions`,
    );
  }
  const entries = Object.entries(value);
  for (const [name, minimum] of entries) {
    if (!NAME.test(name)) {
      throw new VersionError(
        `The 'requires' of '${where}' names '${name}', which is not '<service>_backend'`,
      );
    }
    if (typeof minimum !== "string") {
      throw new VersionError(
        `The 'requires' of '${where}' gives '${name}' no version`,
      );
    }
    parseVersion(minimum);
  }
  return Object.freeze(Object.fromEntries(entries)) as Requires;
}

/**
 * The service a dependency name stands for.
 *
 * @param name A dependency name, e.g. `thoughts_backend`.
 * @returns The service, e.g. `thoughts`.
 * @throws {VersionError} When the name is not `<service>_backend`.
 * @example Usage
 * ```ts
 * import { dependencyService } from "./requires.ts";
 *
 * dependencyService("users_backend"); // "users"
 * ```
 */
export function dependencyService(name: string): string {
  const match = NAME.exec(name);
  if (!match) {
    throw new VersionError(`Not a dependency name: '${name}'`);
  }
  return match[1]!;
}

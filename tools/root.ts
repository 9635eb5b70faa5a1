/**
 * The repository's root folder, as every task finds it.
 *
 * @module
 */

/**
 * The root folder (where `deno.json`, `build.ts` and `k8s/` are), without a
 * trailing slash.
 *
 * @example Usage
 * ```ts
 * import { ROOT } from "./root.ts";
 *
 * Deno.statSync(`${ROOT}/deno.json`).isFile; // true
 * ```
 */
export const ROOT: string = new URL("..", import.meta.url).pathname.replace(
  /\/$/,
  "",
);

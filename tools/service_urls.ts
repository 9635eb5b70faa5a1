/**
 * Where the tasks that ask the running services (`rotate-keys`, `release`)
 * reach them: `--service NAME=URL` options, or the Ingress hosts of `k8s/`.
 *
 * @module
 */

import { usageError } from "./cli.ts";

/** The Ingress hosts of `k8s/`, the default. */
export const INGRESS_URLS: readonly string[] = [
  "users=http://users.example.local",
  "thoughts=http://thoughts.example.local",
  "frontend=http://frontend.example.local",
];

/**
 * Reads `--service NAME=URL` options, exiting with a usage error on one
 * that is not `NAME=URL`.
 *
 * @param task The task, for the error.
 * @param values The options given; the Ingress hosts when none.
 * @returns Name and URL pairs, the URL without a trailing slash.
 * @example Usage
 * ```ts
 * import { serviceUrls } from "./service_urls.ts";
 *
 * serviceUrls("release", ["users=http://127.0.0.1:8002/"]); // [["users", "http://127.0.0.1:8002"]]
 * ```
 */
export function serviceUrls(
  task: string,
  values: readonly string[] | undefined,
): [name: string, url: string][] {
  return (values ?? INGRESS_URLS).map((pair) => {
    const [name, url] = pair.split(/=(.*)/s);
    if (!name || !url || !URL.canParse(url)) {
      usageError(task, `Service '${pair}' is not NAME=URL`);
    }
    return [name, url.replace(/\/$/, "")];
  });
}

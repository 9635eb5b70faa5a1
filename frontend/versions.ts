/**
 * The facts behind `/admin/versions/`: each service's `/admin/version/`,
 * fetched live and in parallel, and whether each minimum holds.
 *
 * @module
 */

import {
  type BuildInfo,
  type Dependency,
  satisfiesMinimum,
} from "@thoughts/shared/version";
import type { Backends } from "./backend_clients.ts";

/** One service's row. */
export interface ServiceStatus {
  service: string;
  /** The base URL; `null` for the frontend itself. */
  url: string | null;
  reachable: boolean;
  version?: string;
  commit?: string;
  /** Why it is unreachable. */
  error?: string;
  /** The minimum the frontend requires, if any. */
  minimum?: string;
  /** Whether the version holds the minimum; `false` when unreachable. */
  satisfied?: boolean;
}

function holds(version: string, minimum: string): boolean {
  try {
    return satisfiesMinimum(version, minimum);
  } catch {
    return false;
  }
}

/**
 * Collects the status of the frontend and each dependency.
 *
 * @param info The frontend's own build info.
 * @param deps The dependencies and their minimums.
 * @param backends The client that fetches `/admin/version/`.
 * @param requestId Passed on to the backends.
 * @returns One row per service, the frontend first.
 * @example Usage
 * ```ts
 * import { createBackends } from "./backend_clients.ts";
 * import { collectVersions } from "./versions.ts";
 *
 * const backends = createBackends({
 *   usersUrl: "http://users-service",
 *   thoughtsUrl: "http://thoughts-service",
 *   fetch: () => Promise.resolve(Response.json({ version: "v2.2", commit: "c".repeat(40) })),
 *   timeoutMs: 1000,
 * });
 * const info = { service: "frontend", version: "v3.7", commit: "e".repeat(40), source: "stamped" } as const;
 * const deps = [{ name: "users_backend", url: "http://users-service", minimum: "v2.3" }];
 * const rows = await collectVersions(info, deps, backends, "req-1");
 * rows.map((row) => row.satisfied); // [undefined, false]
 * ```
 */
export async function collectVersions(
  info: BuildInfo,
  deps: readonly Dependency[],
  backends: Backends,
  requestId: string,
): Promise<ServiceStatus[]> {
  const self: ServiceStatus = {
    service: "frontend",
    url: null,
    reachable: true,
    version: info.version,
    commit: info.commit,
  };
  const rows = await Promise.all(
    deps.map(async (dep): Promise<ServiceStatus> => {
      try {
        const body = await backends.version(dep.url, requestId);
        const version = String(body.version ?? "");
        return {
          service: dep.name,
          url: dep.url,
          reachable: true,
          version,
          commit: String(body.commit ?? ""),
          minimum: dep.minimum,
          satisfied: holds(version, dep.minimum),
        };
      } catch (error) {
        return {
          service: dep.name,
          url: dep.url,
          reachable: false,
          error: (error as Error).message,
          minimum: dep.minimum,
          satisfied: false,
        };
      }
    }),
  );
  return [self, ...rows];
}

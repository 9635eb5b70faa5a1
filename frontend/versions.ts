/**
 * The facts behind `/admin/versions/`: each dependency's `/admin/version/`,
 * asked several times over fresh connections so that every replica behind
 * a Service is likely heard, grouped by version; and the dependency graph,
 * one edge per requirement of each running version, with whether it holds.
 *
 * @module
 */

import {
  askReplicas,
  type BuildInfo,
  type Dependency,
  dependencyService,
  parseVersionAnswer,
  SAMPLES,
  satisfiesMinimum,
  type VersionGroup,
} from "@thoughts/shared/version";
import type { Backends } from "./backend_clients.ts";

/** One service's row. */
export interface ServiceStatus {
  service: string;
  /** The base URL; `null` for the frontend itself. */
  url: string | null;
  reachable: boolean;
  /** The lowest version answering (the one every dependent must accept). */
  version?: string;
  commit?: string;
  /** Each version answering and the replicas that answered with it. */
  versions: VersionGroup[];
  /** Why it is unreachable, or why some answers failed. */
  error?: string;
  /** The minimum the frontend requires, if any. */
  minimum?: string;
  /** Whether every replica holds that minimum; `false` when unreachable. */
  satisfied?: boolean;
}

/** One requirement of one running version: `from` needs `to` at `minimum`. */
export interface Edge {
  from: string;
  fromVersion: string;
  /** The dependency's row, e.g. `users_backend`. */
  to: string;
  minimum: string;
  /** The dependency's versions running, lowest first. */
  running: string[];
  /** The dependency's replicas: in all, and those below the minimum. */
  replicas: number;
  below: number;
  holds: boolean;
}

/** The whole dashboard. */
export interface VersionsView {
  services: ServiceStatus[];
  edges: Edge[];
  /** One sentence per requirement not met, or service not heard. */
  warnings: string[];
}

// The URLs to ask: each address of a name with several (a headless
// Service, or k8s:local's network aliases, where one connection after
// another goes to the first address), else the name SAMPLES times (a
// Service's virtual IP picks a replica per connection).
async function targets(
  url: string,
  resolve?: (host: string) => Promise<string[]>,
): Promise<string[]> {
  const base = new URL(url);
  const addresses = resolve ? await resolve(base.hostname).catch(() => []) : [];
  if (addresses.length < 2) return Array(SAMPLES).fill(url);
  return addresses.map((address) => {
    const each = new URL(url);
    each.hostname = address;
    return each.href.replace(/\/$/, "");
  });
}

// Asks one dependency's every replica it can reach, at once.
async function sample(
  dep: Dependency,
  backends: Backends,
  requestId: string,
  resolve?: (host: string) => Promise<string[]>,
): Promise<ServiceStatus> {
  const urls = await targets(dep.url, resolve);
  const { versions, errors } = await askReplicas(
    urls.map((url) => async () =>
      parseVersionAnswer(
        await backends.version(url, requestId),
        new URL(url).host,
      )
    ),
  );
  const lowest = versions[0];
  return {
    service: dep.name,
    url: dep.url,
    reachable: versions.length > 0,
    ...(lowest && { version: lowest.version, commit: lowest.commit }),
    versions,
    ...(errors.length > 0 && {
      error: versions.length > 0
        ? `${errors.length} of ${urls.length} answers failed: ${errors[0]}`
        : errors[0],
    }),
    minimum: dep.minimum,
    satisfied: versions.length > 0 &&
      versions.every((v) => satisfiesMinimum(v.version, dep.minimum)),
  };
}

/**
 * Collects the versions of the frontend and its dependencies, and checks
 * every requirement of every running version against every replica.
 *
 * @param info The frontend's own build info.
 * @param deps The dependencies and their minimums.
 * @param backends The client that fetches `/admin/version/`.
 * @param requestId Passed on to the backends.
 * @param resolve A host's addresses, to ask each replica behind a name.
 * @returns The rows (the frontend first), the edges and the warnings.
 * @example Usage
 * ```ts
 * import { createBackends } from "./backend_clients.ts";
 * import { collectVersions } from "./versions.ts";
 *
 * const backends = createBackends({
 *   usersUrl: "http://users-service",
 *   thoughtsUrl: "http://thoughts-service",
 *   fetch: () => Promise.resolve(Response.json({ version: "v2.2", commit: "c".repeat(40), requires: {} })),
 *   timeoutMs: 1000,
 * });
 * const info = { service: "frontend", version: "v3.7", commit: "e".repeat(40), source: "stamped", requires: { users_backend: "v2.3" } } as const;
 * const deps = [{ name: "users_backend", url: "http://users-service", minimum: "v2.3" }];
 * const view = await collectVersions(info, deps, backends, "req-1");
 * view.warnings; // ["frontend v3.7 requires users ≥ v2.3, but users runs v2.2"]
 * ```
 */
export async function collectVersions(
  info: BuildInfo,
  deps: readonly Dependency[],
  backends: Backends,
  requestId: string,
  resolve?: (host: string) => Promise<string[]>,
): Promise<VersionsView> {
  const self: ServiceStatus = {
    service: "frontend",
    url: null,
    reachable: true,
    version: info.version,
    commit: info.commit,
    versions: [{
      version: info.version,
      commit: info.commit,
      requires: info.requires,
      instances: [info.instance ?? "this replica"],
    }],
  };
  const rows = [
    self,
    ...await Promise.all(
      deps.map((d) => sample(d, backends, requestId, resolve)),
    ),
  ];
  const edges: Edge[] = [];
  const warnings: string[] = [];
  for (const row of rows) {
    if (!row.reachable) {
      warnings.push(`${row.service} is unreachable: ${row.error}`);
    }
    for (const group of row.versions) {
      for (const [to, minimum] of Object.entries(group.requires)) {
        const target = rows.find((r) => r.service === to);
        const replicas = target?.versions.flatMap((v) =>
          v.instances.map(() => v.version)
        ) ?? [];
        const below = replicas.filter((v) => !satisfiesMinimum(v, minimum));
        const edge = {
          from: row.service,
          fromVersion: group.version,
          to,
          minimum,
          running: target?.versions.map((v) => v.version) ?? [],
          replicas: replicas.length,
          below: below.length,
          holds: replicas.length > 0 && below.length === 0,
        };
        edges.push(edge);
        if (!edge.holds && replicas.length > 0) {
          warnings.push(
            `${displayName(row.service)} ${group.version} requires ${
              displayName(to)
            } ≥ ${minimum}, but ${displayName(to)} runs ${
              [...new Set(below)].join(" and ")
            }${
              below.length < replicas.length
                ? ` on ${below.length} of ${replicas.length} replicas`
                : ""
            }`,
          );
        }
      }
    }
  }
  return { services: rows, edges, warnings };
}

// `users_backend` reads as `users` in a sentence.
function displayName(name: string): string {
  try {
    return dependencyService(name);
  } catch {
    return name;
  }
}

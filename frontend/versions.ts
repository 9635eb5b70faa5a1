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
  type Requires,
  SAMPLES,
  satisfiesMinimum,
  type VersionGroup,
} from "@thoughts/shared/version";
import type { Backends } from "./backend_clients.ts";

/** One version a service runs, and on how many replicas. */
export interface VersionRow {
  version: string;
  requires: Requires;
  /** How many replicas answered with it. */
  replicas: number;
  /** The commit; for the admin only. */
  commit?: string;
  /** The replicas' names; for the admin only. */
  instances?: string[];
}

/** One service's row. */
export interface ServiceStatus {
  service: string;
  /** The base URL; `null` for the frontend itself, and for anonymous viewers. */
  url: string | null;
  reachable: boolean;
  /** The lowest version answering (the one every dependent must accept). */
  version?: string;
  /** Its commit; for the admin only. */
  commit?: string;
  /** Each version answering and the replicas that answered with it. */
  versions: VersionRow[];
  /** Why it is unreachable, or why some answers failed; details for the admin only. */
  error?: string;
  /** How many of the answers asked for failed. */
  failed?: { count: number; of: number };
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

const row = (group: VersionGroup): VersionRow => ({
  version: group.version,
  requires: group.requires,
  replicas: group.instances.length,
  commit: group.commit,
  instances: group.instances,
});

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
    versions: versions.map(row),
    ...(errors.length > 0 && {
      error: versions.length > 0
        ? `${errors.length} of ${urls.length} answers failed: ${errors[0]}`
        : errors[0],
      failed: { count: errors.length, of: urls.length },
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
    versions: [row({
      version: info.version,
      commit: info.commit,
      requires: info.requires,
      instances: [info.instance ?? "this replica"],
    })],
  };
  const rows = [
    self,
    ...await Promise.all(
      deps.map((d) => sample(d, backends, requestId, resolve)),
    ),
  ];
  return { services: rows, ...graph(rows) };
}

/**
 * What anyone may see of the versions: each service's versions, health and
 * replica counts, and the dependency graph. The backends' URLs, the
 * replicas' names, the commits and the failures' details are the admin's.
 *
 * @param view The whole view.
 * @returns The view without them.
 * @example Usage
 * ```ts
 * import { publicView } from "./versions.ts";
 *
 * const view = publicView({
 *   services: [{
 *     service: "users_backend", url: "http://users-service", reachable: false, versions: [],
 *     error: "The users-service service is unavailable", failed: { count: 8, of: 8 },
 *   }],
 *   edges: [],
 *   warnings: [],
 * });
 * [view.services[0]?.url, view.warnings]; // [null, ["users_backend is unreachable: no replica answered"]]
 * ```
 */
export function publicView(view: VersionsView): VersionsView {
  const rows = view.services.map((s): ServiceStatus => ({
    service: s.service,
    url: null,
    reachable: s.reachable,
    ...(s.version !== undefined && { version: s.version }),
    versions: s.versions.map((v) => ({
      version: v.version,
      requires: v.requires,
      replicas: v.replicas,
    })),
    ...(s.failed && {
      failed: s.failed,
      error: s.reachable
        ? `${s.failed.count} of ${s.failed.of} answers failed`
        : "no replica answered",
    }),
    ...(s.minimum !== undefined && { minimum: s.minimum }),
    ...(s.satisfied !== undefined && { satisfied: s.satisfied }),
  }));
  return { services: rows, ...graph(rows) };
}

// One edge per requirement of each running version, and the warnings.
function graph(
  rows: ServiceStatus[],
): Pick<VersionsView, "edges" | "warnings"> {
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
          Array<string>(v.replicas).fill(v.version)
        ) ?? [];
        const below = replicas.filter((v) =>
          !satisfiesMinimum(v, minimum)
        );
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
  return { edges, warnings };
}

// `users_backend` reads as `users` in a sentence.
function displayName(name: string): string {
  try {
    return dependencyService(name);
  } catch {
    return name;
  }
}

/**
 * Shares one collection of the versions among the page views of a few
 * seconds, the one in flight included, so views do not fan out to every
 * replica of every backend each time.
 *
 * @param collect Collects the view; its request ID is the first viewer's.
 * @param ttlMs How long a collection serves, from its start.
 * @param now The clock.
 * @returns The cached collector.
 * @example Usage
 * ```ts
 * import { cachedVersions } from "./versions.ts";
 *
 * let calls = 0;
 * const view = { services: [], edges: [], warnings: [] };
 * const versions = cachedVersions(() => (calls++, Promise.resolve(view)), 5000, () => new Date());
 * await Promise.all([versions("a"), versions("b")]);
 * calls; // 1
 * ```
 */
export function cachedVersions(
  collect: (requestId: string) => Promise<VersionsView>,
  ttlMs: number,
  now: () => Date,
): (requestId: string) => Promise<VersionsView> {
  let cached: { at: number; view: Promise<VersionsView> } | undefined;
  return (requestId) => {
    const at = now().getTime();
    if (!cached || at - cached.at >= ttlMs || at < cached.at) {
      const view = collect(requestId);
      cached = { at, view };
      // A failed collection is not kept.
      view.catch(() => cached?.view === view && (cached = undefined));
    }
    return cached.view;
  };
}

/**
 * The versions page: every service's version and whether each minimum
 * holds; commits, addresses and replicas only for the admin token.
 *
 * @module
 */

import { Hono } from "hono";
import type { BuildInfo, Dependency } from "@thoughts/shared/version";
import { ADMIN_TOKEN_HEADER, hasAdminToken } from "@thoughts/shared/http";
import type { Backends } from "../backend_clients.ts";
import { cachedVersions, collectVersions, publicView } from "../versions.ts";
import { VersionsPage } from "../views/pages.tsx";
import { type FrontendEnv, page } from "./_page.tsx";

/** What the versions page needs. */
export interface VersionsDeps {
  /** The calls to the backends. */
  backends: Backends;
  /** The backends and their minimum versions. */
  dependencies: readonly Dependency[];
  /** The frontend's own version and commit. */
  info: BuildInfo;
  /** The clock. */
  now: () => Date;
  /** A host's addresses, to ask each replica behind a name; none by default. */
  resolve?: (host: string) => Promise<string[]>;
  /** The admin token, which shows the details; none shows them to no one. */
  adminToken?: string;
  /** How long the backends' answers are reused; 5 s by default. */
  versionsCacheMs?: number;
}

/**
 * The route `/admin/versions`, as HTML or, when asked, JSON.
 *
 * @param deps The backends, dependencies, build info and admin token.
 * @returns The routes, for `app.route("/", …)`.
 * @example Usage
 * ```ts
 * import { createBackends } from "../backend_clients.ts";
 * import { versionsRoutes } from "./versions.tsx";
 *
 * const backends = createBackends({
 *   usersUrl: "http://users",
 *   thoughtsUrl: "http://thoughts",
 *   fetch: () => Promise.reject(new TypeError("Connection refused")),
 *   timeoutMs: 1000,
 * });
 * const app = versionsRoutes({
 *   backends,
 *   dependencies: [],
 *   info: { service: "frontend", version: "v3.7", commit: "e".repeat(40), source: "stamped", requires: {} },
 *   now: () => new Date(),
 * });
 * const res = await app.request("/admin/versions", { headers: { Accept: "application/json" } });
 * res.status; // 200
 * ```
 */
export function versionsRoutes(deps: VersionsDeps): Hono<FrontendEnv> {
  const app = new Hono<FrontendEnv>();
  const versions = cachedVersions(
    (requestId) =>
      collectVersions(
        deps.info,
        deps.dependencies,
        deps.backends,
        requestId,
        deps.resolve,
      ),
    deps.versionsCacheMs ?? 5000,
    deps.now,
  );
  app.get("/admin/versions", async (c) => {
    const admin = await hasAdminToken(
      c.req.header(ADMIN_TOKEN_HEADER),
      deps.adminToken,
    );
    const all = await versions(c.get("requestId"));
    const view = admin ? all : publicView(all);
    if ((c.req.header("Accept") ?? "").includes("application/json")) {
      return c.json(view);
    }
    return page(c, "Versions", <VersionsPage view={view} />);
  });
  return app;
}

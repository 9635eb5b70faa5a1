/**
 * The web front end as a Hono app: server-rendered pages over the backends.
 *
 * @module
 */

import type { OpenAPIHono } from "@hono/zod-openapi";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { HTTPException } from "hono/http-exception";
import type { BuildInfo, Dependency } from "@thoughts/shared/version";
import { createServiceApp, HttpError } from "@thoughts/shared/http";
import type { KeySet } from "@thoughts/shared/auth";
import type { Logger } from "@thoughts/shared/log";
import type { Backends } from "./backend_clients.ts";
import { endSession, readSession } from "./session.ts";
import { ErrorPage } from "./views/pages.tsx";
import { STYLE } from "./views/style.ts";
import {
  type FrontendContext,
  type FrontendEnv,
  page,
} from "./routes/_page.tsx";
import { loginRoutes } from "./routes/login.tsx";
import { searchRoutes } from "./routes/search.tsx";
import { thoughtsRoutes } from "./routes/thoughts.tsx";
import { versionsRoutes } from "./routes/versions.tsx";

export { SEARCH_MAX_LENGTH } from "./routes/search.tsx";

/** Everything the frontend needs from outside. */
export interface FrontendDeps {
  /** The calls to the users and thoughts services. */
  backends: Backends;
  /** The accepted public keys, to verify sessions locally. */
  keys: () => KeySet;
  /** The backends and their minimum versions. */
  dependencies: readonly Dependency[];
  /** The running version and commit. */
  info: BuildInfo;
  /** The service's JSON logger. */
  logger: Logger;
  /** The clock. */
  now: () => Date;
  /** Set while shutting down, so `/readyz` fails first. */
  lifecycle?: { draining: boolean };
  /**
   * A host's addresses (DNS A records), so the versions page can ask each
   * replica behind a name that has several; none by default.
   */
  resolve?: (host: string) => Promise<string[]>;
  /** Proxies in front whose `X-Forwarded-For` entries are trusted (the Ingress). */
  trustedProxyHops?: number;
  /** The admin token, which shows the versions page's details; none shows them to no one. */
  adminToken?: string;
  /** How long the versions page's backend answers are reused; 5 s by default. */
  versionsCacheMs?: number;
}

const wantsHtml = (c: FrontendContext) =>
  (c.req.header("Accept") ?? "").includes("text/html");

// Browsers send Sec-Fetch-Site or Origin on form posts; a post from another
// site, or one that says nothing of where it comes from, is refused. Behind
// the ingress the host the browser used arrives in X-Forwarded-Host.
const sameOrigin = csrf({
  origin: (origin, c) =>
    URL.canParse(origin) &&
    new URL(origin).host ===
      (c.req.header("X-Forwarded-Host") ?? new URL(c.req.url).host),
});

/**
 * Creates the frontend app.
 *
 * @param deps The backends, keys, dependencies, clock and build info.
 * @returns The Hono app.
 * @example Usage
 * ```tsx
 * import { loadKeySet } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 * import { memoryLogger } from "@thoughts/shared/log";
 * import { createApp } from "./app.tsx";
 * import { createBackends } from "./backend_clients.ts";
 *
 * const reader = dirSecretReader("testing/testdata/keys");
 * const keys = await loadKeySet({ reader, appEnv: "test", signs: false });
 * const app = createApp({
 *   // Backends that answer every call with an empty list.
 *   backends: createBackends({
 *     usersUrl: "http://users",
 *     thoughtsUrl: "http://thoughts",
 *     fetch: () => Promise.resolve(Response.json([])),
 *     timeoutMs: 1000,
 *   }),
 *   keys: () => keys,
 *   dependencies: [],
 *   info: { service: "frontend", version: "v3.7", commit: "e".repeat(40), source: "stamped", requires: {} },
 *   logger: memoryLogger().logger,
 *   now: () => new Date(),
 * });
 * (await app.request("/search?search=hello")).status; // 200
 * (await app.request("/thoughts/")).headers.get("Location"); // "/login/"
 * ```
 */
export function createApp(deps: FrontendDeps): OpenAPIHono<FrontendEnv> {
  const { backends } = deps;
  const app = createServiceApp<FrontendEnv>({
    info: deps.info,
    logger: deps.logger,
    title: "Thoughts Frontend",
    lifecycle: deps.lifecycle,
    keys: deps.keys,
    readiness: { backends: () => backends.ping() },
    renderError: (c, error) =>
      wantsHtml(c)
        ? page(
          c,
          "Error",
          <ErrorPage status={error.status} message={error.message} />,
          error.status,
        )
        : undefined,
  });

  app.use(async (c, next) => {
    const session = await readSession(c, deps.keys(), deps.now());
    c.set("session", session === "invalid" ? null : session);
    if (session === "invalid") endSession(c);
    await next();
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: "same-origin",
    }),
  );
  app.use(async (c, next) => {
    try {
      await sameOrigin(c, next);
    } catch (error) {
      if (!(error instanceof HTTPException && error.status === 403)) {
        throw error;
      }
      throw new HttpError(403, "Cross-site form posts are refused");
    }
  });
  app.get("/static/style.css", (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(STYLE, 200, { "Content-Type": "text/css; charset=utf-8" });
  });
  return app
    .route("/", thoughtsRoutes(backends))
    .route("/", loginRoutes(deps))
    .route("/", searchRoutes(backends))
    .route("/", versionsRoutes(deps));
}

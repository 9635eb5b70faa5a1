/**
 * The web front end as a Hono app: server-rendered pages over the backends.
 *
 * @module
 */

import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { HTTPException } from "hono/http-exception";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { BuildInfo, Dependency } from "@thoughts/shared/version";
import {
  ADMIN_TOKEN_HEADER,
  clientAddress,
  createServiceApp,
  hasAdminToken,
  HttpError,
} from "@thoughts/shared/http";
import { type KeySet, verifyToken } from "@thoughts/shared/auth";
import type { Logger } from "@thoughts/shared/log";
import type {
  Backends,
  Cursor,
  LoginResult,
  ThoughtPage,
} from "./backend_clients.ts";
import {
  deviceToken,
  endSession,
  keepDevice,
  readSession,
  type Session,
  startSession,
} from "./session.ts";
import { cachedVersions, collectVersions, publicView } from "./versions.ts";
import { Layout } from "./views/layout.tsx";
import {
  ErrorPage,
  LoginPage,
  LogoutPage,
  type Pager,
  SearchPage,
  ThoughtsPage,
  VersionsPage,
} from "./views/pages.tsx";
import { STYLE } from "./views/style.ts";

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

type FrontendEnv = {
  Variables: { requestId: string; session: Session | null };
};
type FrontendContext = Context<FrontendEnv>;

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

async function formField(c: FrontendContext, name: string): Promise<string> {
  const type = c.req.header("Content-Type") ?? "";
  if (
    !/^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(type)
  ) {
    throw new HttpError(415, "Expected a form");
  }
  const value = (await c.req.parseBody())[name];
  return typeof value === "string" ? value : "";
}

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
  const page = (
    c: FrontendContext,
    title: string,
    body: Child,
    status: ContentfulStatusCode = 200,
  ) => {
    const session = c.get("session");
    return c.html(
      <Layout title={title} path={c.req.path} username={session?.username}>
        {body}
      </Layout>,
      status,
    );
  };
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

  const myThoughts = async (c: FrontendContext) => {
    const session = c.get("session");
    if (!session) return c.redirect("/login/", 303);
    const result = await backends.myThoughts(
      session.token,
      c.get("requestId"),
      cursorOf(c),
    );
    if (result === null) {
      endSession(c);
      return c.redirect("/login/", 303);
    }
    return page(
      c,
      "My thoughts",
      <ThoughtsPage
        thoughts={result.thoughts}
        pager={pagerOf("/thoughts/", result)}
      />,
    );
  };
  app.get("/", myThoughts);
  app.get("/thoughts", myThoughts);

  app.post("/thoughts/new", async (c) => {
    const session = c.get("session");
    if (!session) return c.redirect("/login/", 303);
    const text = await formField(c, "text");
    const result = await backends.post(session.token, text, c.get("requestId"));
    if (result.ok) return c.redirect("/thoughts/", 303);
    if (result.status === 401) {
      endSession(c);
      return c.redirect("/login/", 303);
    }
    const mine =
      (await backends.myThoughts(session.token, c.get("requestId"))) ??
        { thoughts: [] };
    return page(
      c,
      "My thoughts",
      <ThoughtsPage
        thoughts={mine.thoughts}
        pager={pagerOf("/thoughts/", mine)}
        error={result.message}
        text={text}
      />,
      400,
    );
  });

  app.get("/login", (c) => page(c, "Log in", <LoginPage />));
  app.post("/login", async (c) => {
    const username = (await formField(c, "username")).trim();
    const password = await formField(c, "password");
    const result: LoginResult = username && password
      ? await backends.login({
        username,
        password,
        requestId: c.get("requestId"),
        client: clientAddress(c, deps.trustedProxyHops ?? 0),
        deviceToken: deviceToken(c),
      })
      : { ok: false, status: 401, message: "Wrong username or password" };
    if (!result.ok) {
      return page(
        c,
        "Log in",
        <LoginPage username={username} error={result.message} />,
        result.status,
      );
    }
    const claims = await verifyToken(deps.keys(), result.token, deps.now());
    startSession(c, result.token, claims.exp, deps.now());
    if (result.deviceToken) keepDevice(c, result.deviceToken, deps.now());
    return c.redirect("/thoughts/", 303);
  });
  app.get("/logout", (c) => page(c, "Log out", <LogoutPage />));
  app.post("/logout", (c) => {
    endSession(c);
    return c.redirect("/login/", 303);
  });

  app.get("/search", async (c) => {
    const asked = c.req.query("search") ?? "";
    const search = asked.slice(0, SEARCH_MAX_LENGTH);
    const result = await backends.search(
      search,
      c.get("requestId"),
      cursorOf(c),
    );
    return page(
      c,
      "Search",
      <SearchPage
        search={search}
        notice={result.refused ??
          (asked.length > search.length
            ? `Searches are at most ${SEARCH_MAX_LENGTH} characters: yours was shortened`
            : undefined)}
        thoughts={result.thoughts}
        pager={pagerOf("/search", result, { search })}
      />,
    );
  });

  const versions = cachedVersions(
    (requestId) =>
      collectVersions(
        deps.info,
        deps.dependencies,
        backends,
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

/** The longest search the thoughts API takes (its OpenAPI `maxLength`). */
export const SEARCH_MAX_LENGTH = 200;

// The page a list starts at: `before` or `after` in canonical decimal; any
// other value shows the first page.
function cursorOf(c: FrontendContext): Cursor {
  const id = (name: string) => {
    const value = c.req.query(name) ?? "";
    return /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : undefined;
  };
  const before = id("before");
  return before !== undefined ? { before } : { after: id("after") };
}

// The links of a page's neighbours: the page's own query plus a cursor.
function pagerOf(
  path: string,
  page: ThoughtPage,
  query: Record<string, string> = {},
): Pager {
  const link = (cursor: "after" | "before", id: number) =>
    `${path}?${new URLSearchParams({ ...query, [cursor]: String(id) })}`;
  return {
    ...(page.newer !== undefined && { newer: link("after", page.newer) }),
    ...(page.older !== undefined && { older: link("before", page.older) }),
  };
}

/**
 * The thoughts service as a Hono app: public posts, search, my thoughts.
 *
 * @module
 */

import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import {
  adminAuth,
  bearerAuth,
  createServiceApp,
  defineRoute,
  errorResponses,
  HttpError,
  jsonOrForm,
  jsonOrFormBody,
  jsonResponse,
} from "@thoughts/shared/http";
import { type BuildInfo } from "@thoughts/shared/version";
import { type KeySet } from "@thoughts/shared/auth";
import { type Logger } from "@thoughts/shared/log";
import { BusyError, createLimit } from "@thoughts/shared/async";
import { StoreError } from "@thoughts/shared/store";
import { pageLinks } from "./page_links.ts";
import {
  IdParam,
  LinkHeader,
  ListQuery,
  NewThoughtBody,
  ThoughtListSchema,
  ThoughtSchema,
} from "./schemas.ts";
import type { ThoughtsStore } from "./store.ts";

/** Everything the thoughts app needs from outside. */
export interface ThoughtsDeps {
  /** The thoughts' storage. */
  store: ThoughtsStore;
  /** The current verification keys; a function so a reload takes effect at once. */
  keys: () => KeySet;
  /** The admin token admin writes must present; none refuses them all. */
  adminToken?: string;
  /** The running version and commit. */
  info: BuildInfo;
  /** The service's JSON logger. */
  logger: Logger;
  /** The clock, for token expiry and timestamps. */
  now: () => Date;
  /** Resolves when the database answers. */
  ping: () => Promise<void>;
  /** Set while shutting down, so `/readyz` fails first. */
  lifecycle?: { draining: boolean };
  /** Searches run at once; 2 by default. */
  searchConcurrency?: number;
  /** Searches waiting for a turn; more are refused with 503. 32 by default. */
  searchQueue?: number;
}

type ThoughtsEnv = { Variables: { requestId: string; username: string } };

const bearer = [{ bearer: [] }];

/** The thoughts API's routes; the bearer middleware is added by `createApp`. */
export const routes = {
  list: createRoute({
    method: "get",
    path: "/api/thoughts/",
    tags: ["Thoughts"],
    summary: "List or search all thoughts, a page at a time, newest first",
    request: { query: ListQuery },
    responses: {
      200: {
        ...jsonResponse(ThoughtListSchema, "A page of thoughts"),
        headers: LinkHeader,
      },
      ...errorResponses({
        400: "Bad query",
        503: "Too many searches at once, or a search too slow",
      }),
    },
  }),
  get: createRoute({
    method: "get",
    path: "/api/thoughts/{id}/",
    tags: ["Thoughts"],
    summary: "One thought",
    request: { params: IdParam },
    responses: {
      200: jsonResponse(ThoughtSchema, "The thought"),
      ...errorResponses({ 400: "Not a valid id", 404: "No such thought" }),
    },
  }),
  mine: createRoute({
    method: "get",
    path: "/api/me/thoughts/",
    tags: ["My thoughts"],
    summary: "The caller's thoughts, a page at a time, newest first",
    security: bearer,
    request: { query: ListQuery },
    responses: {
      200: {
        ...jsonResponse(ThoughtListSchema, "A page of the caller's thoughts"),
        headers: LinkHeader,
      },
      ...errorResponses({
        400: "Bad query",
        401: "Missing or invalid token",
        503: "Too many searches at once, or a search too slow",
      }),
    },
  }),
  post: createRoute({
    method: "post",
    path: "/api/me/thoughts/",
    tags: ["My thoughts"],
    summary: "Post a thought as the caller",
    security: bearer,
    request: {
      body: jsonOrFormBody(NewThoughtBody),
    },
    responses: {
      201: jsonResponse(ThoughtSchema, "The new thought"),
      ...errorResponses({
        400: "Invalid text",
        401: "Missing or invalid token",
        413: "Body too large",
      }),
    },
  }),
  remove: createRoute({
    method: "delete",
    path: "/admin/thoughts/{id}/",
    tags: ["Admin"],
    summary: "Delete a thought (also when already gone)",
    security: [{ adminToken: [] }],
    request: { params: IdParam },
    responses: {
      204: { description: "Deleted" },
      ...errorResponses({
        400: "Not a valid id",
        403: "Missing or wrong admin token",
      }),
    },
  }),
};

/**
 * Creates the thoughts app.
 *
 * @param deps The store, keys, clock and build info.
 * @returns The Hono app.
 * @example Usage
 * ```ts
 * import { loadKeySet } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 * import { memoryLogger } from "@thoughts/shared/log";
 * import { openPglite } from "@thoughts/shared/store";
 * import { createApp } from "./app.ts";
 * import { createThoughtsStore } from "./store.ts";
 *
 * const reader = dirSecretReader("testing/testdata/keys");
 * const keys = await loadKeySet({ reader, appEnv: "test", signs: false });
 * const db = await openPglite();
 * const app = createApp({
 *   store: await createThoughtsStore(db),
 *   keys: () => keys,
 *   info: { service: "thoughts", version: "v1.6", commit: "d".repeat(40), source: "stamped", requires: {} },
 *   logger: memoryLogger().logger,
 *   now: () => new Date(),
 *   ping: () => db.ping(),
 * });
 * await (await app.request("/api/thoughts/?search=hello")).json(); // []
 * (await app.request("/api/me/thoughts/")).status; // 401
 * await db.close();
 * ```
 */
export function createApp(deps: ThoughtsDeps): OpenAPIHono<ThoughtsEnv> {
  const app = createServiceApp<ThoughtsEnv>({
    info: deps.info,
    logger: deps.logger,
    title: "Thoughts Backend API",
    docs: true,
    readiness: { database: deps.ping },
    lifecycle: deps.lifecycle,
    keys: deps.keys,
  });
  const auth = bearerAuth(deps.keys, deps.now);
  const r = {
    ...routes,
    mine: { ...routes.mine, middleware: auth },
    post: { ...routes.post, middleware: auth },
    remove: { ...routes.remove, middleware: adminAuth(deps.adminToken) },
  };

  const list = boundedSearches(deps);

  defineRoute(app, r.list, async (c) => {
    const query = c.req.valid("query");
    const page = await list(query);
    const links = pageLinks(c.req.url, page, query.order);
    if (links) c.header("Link", links);
    return c.json(page.thoughts, 200);
  });
  defineRoute(app, r.get, async (c) => {
    const { id } = c.req.valid("param");
    const thought = await deps.store.get(id);
    if (!thought) throw new HttpError(404, `Thought not found: '${id}'`);
    return c.json(thought, 200);
  });
  defineRoute(app, r.mine, async (c) => {
    const query = c.req.valid("query");
    const page = await list({ ...query, username: c.get("username") });
    const links = pageLinks(c.req.url, page, query.order);
    if (links) c.header("Link", links);
    return c.json(page.thoughts, 200);
  });
  defineRoute(app, r.post, async (c) => {
    const { text } = jsonOrForm(
      c.req.header("content-type"),
      () => c.req.valid("json"),
      () => c.req.valid("form"),
    );
    const thought = await deps.store.create(
      c.get("username"),
      text,
      deps.now(),
    );
    return c.json(thought, 201);
  });
  defineRoute(app, r.remove, async (c) => {
    await deps.store.remove(c.req.valid("param").id);
    return c.body(null, 204);
  });
  return app;
}

// The store's list, with searches bounded: a search may take the database a
// while, so only a few run at once and a few more wait, and they cannot
// hold every connection the other requests need.
function boundedSearches(
  deps: ThoughtsDeps,
): ThoughtsStore["list"] {
  const searches = createLimit({
    running: deps.searchConcurrency ?? 2,
    waiting: deps.searchQueue ?? 32,
  });
  return async (options) => {
    if (!options.search) return await deps.store.list(options);
    try {
      return await searches(() => deps.store.list(options));
    } catch (error) {
      if (error instanceof BusyError) {
        throw new HttpError(
          503,
          "Too many searches at once; try again shortly",
          { retryAfter: 1 },
        );
      }
      if (!(error instanceof StoreError && error.code === "timeout")) {
        throw error;
      }
      throw new HttpError(
        503,
        "The search took too long; try more specific words",
      );
    }
  };
}

/**
 * The search page: anyone's thoughts that contain the words, a page at a
 * time, with the API's refusal (too short, too busy) said on the page.
 *
 * @module
 */

import { Hono } from "hono";
import type { Backends } from "../backend_clients.ts";
import { SearchPage } from "../views/pages.tsx";
import { cursorOf, type FrontendEnv, page, pagerOf } from "./_page.tsx";

/** The longest search the thoughts API takes (its OpenAPI `maxLength`). */
export const SEARCH_MAX_LENGTH = 200;

/**
 * The route `/search`; a longer search is shortened to
 * {@linkcode SEARCH_MAX_LENGTH}, and the page says so.
 *
 * @param backends The calls to the backends.
 * @returns The routes, for `app.route("/", …)`.
 * @example Usage
 * ```ts
 * import { createBackends } from "../backend_clients.ts";
 * import { searchRoutes } from "./search.tsx";
 *
 * const backends = createBackends({
 *   usersUrl: "http://users",
 *   thoughtsUrl: "http://thoughts",
 *   fetch: () => Promise.resolve(Response.json([])),
 *   timeoutMs: 1000,
 * });
 * const app = searchRoutes(backends);
 * (await app.request("/search?search=tea")).status; // 200
 * ```
 */
export function searchRoutes(backends: Backends): Hono<FrontendEnv> {
  const app = new Hono<FrontendEnv>();
  app.get("/search", async (c) => {
    const asked = c.req.query("search") ?? "";
    const search = asked.slice(0, SEARCH_MAX_LENGTH);
    const result = await backends.search(
      search,
      c.get("requestId"),
      cursorOf(c),
    );
    const shortened = asked.length > search.length
      ? `Searches are at most ${SEARCH_MAX_LENGTH} characters: yours was shortened`
      : undefined;
    return page(
      c,
      "Search",
      <SearchPage
        search={search}
        notice={result.refused ?? shortened}
        thoughts={result.thoughts}
        pager={pagerOf("/search", result, { search })}
      />,
    );
  });
  return app;
}

/**
 * The logged-in user's pages: their thoughts, a page at a time, and the
 * form that posts a new one.
 *
 * @module
 */

import { Hono } from "hono";
import type { Backends } from "../backend_clients.ts";
import { endSession } from "../session.ts";
import { ThoughtsPage } from "../views/pages.tsx";
import {
  cursorOf,
  formField,
  type FrontendContext,
  type FrontendEnv,
  page,
  pagerOf,
} from "./_page.tsx";

/**
 * The routes `/`, `/thoughts` and `POST /thoughts/new`; without a session
 * each sends the browser to `/login/`.
 *
 * @param backends The calls to the backends.
 * @returns The routes, for `app.route("/", …)`.
 * @example Usage
 * ```ts
 * import { createBackends } from "../backend_clients.ts";
 * import { thoughtsRoutes } from "./thoughts.tsx";
 *
 * const backends = createBackends({
 *   usersUrl: "http://users",
 *   thoughtsUrl: "http://thoughts",
 *   fetch: () => Promise.resolve(Response.json([])),
 *   timeoutMs: 1000,
 * });
 * const app = thoughtsRoutes(backends);
 * (await app.request("/thoughts")).headers.get("Location"); // "/login/"
 * ```
 */
export function thoughtsRoutes(backends: Backends): Hono<FrontendEnv> {
  const app = new Hono<FrontendEnv>();
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
  return app;
}

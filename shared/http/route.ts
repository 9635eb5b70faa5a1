/**
 * Declares a route once: the path as documented (with its trailing slash
 * where the spec has one), plus a hidden twin that answers the other form.
 *
 * @module
 */

import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { Env } from "hono";

/**
 * The other slash form of a path: `/a/` ↔ `/a`.
 *
 * @param path A route path.
 * @returns Its twin, or the path itself for `/`.
 * @example Usage
 * ```ts
 * import { slashTwin } from "@thoughts/shared";
 *
 * slashTwin("/api/login/"); // "/api/login"
 * ```
 */
export function slashTwin(path: string): string {
  if (path === "/") return path;
  return path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
}

/**
 * Registers a documented route and its undocumented slash twin, both
 * validated by the same schemas and served by the same handler.
 *
 * @param app The app.
 * @param route The route from `createRoute`.
 * @param handler The handler.
 * @example Usage
 * ```ts
 * import { defineRoute } from "@thoughts/shared";
 *
 * defineRoute(app, healthRoute, (c) => c.json({ status: "ok" }, 200));
 * ```
 */
export function defineRoute<E extends Env, R extends RouteConfig>(
  app: OpenAPIHono<E>,
  route: R,
  handler: RouteHandler<R, E>,
): void {
  app.openapi(route, handler as never);
  const twin = slashTwin(route.path);
  if (twin !== route.path) {
    app.openapi({ ...route, path: twin, hide: true }, handler as never);
  }
}

/**
 * Declares a route once: documented with its trailing slash where the spec
 * has one, and served by `@hono/zod-openapi`, which validates it with the
 * same schemas.
 *
 * @module
 */

import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { Env } from "hono";

/**
 * A path without its trailing slash: apps built with `strict: false` strip
 * it from requests, so routes are served in that form and answer both.
 *
 * @param path A route path.
 * @returns The path without a trailing slash, or `/` itself.
 * @example Usage
 * ```ts
 * import { withoutTrailingSlash } from "@thoughts/shared/http";
 *
 * withoutTrailingSlash("/api/login/"); // "/api/login"
 * ```
 */
export function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

/**
 * Registers a route in the OpenAPI document as declared, and serves it
 * through `app.openapi()` without its trailing slash, so that on an app
 * created with `strict: false` both forms answer. Query, path parameters
 * and bodies are validated by `@hono/zod-openapi`; failures go through the
 * app's `defaultHook`.
 *
 * @param app The app, created with `strict: false`.
 * @param route The route from `createRoute`.
 * @param handler The handler.
 * @example Usage
 * ```ts
 * import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
 * import { defineRoute } from "@thoughts/shared/http";
 *
 * const app = new OpenAPIHono({ strict: false });
 * const route = createRoute({
 *   method: "get",
 *   path: "/healthz/",
 *   responses: { 200: { description: "Alive", content: { "application/json": { schema: z.object({ status: z.string() }) } } } },
 * });
 * defineRoute(app, route, (c) => c.json({ status: "ok" }, 200));
 * (await app.request("/healthz")).status; // 200
 * ```
 */
export function defineRoute<E extends Env, R extends RouteConfig>(
  app: OpenAPIHono<E>,
  route: R,
  handler: RouteHandler<R, E>,
): void {
  if (!route.hide) app.openAPIRegistry.registerPath(route);
  app.openapi(
    { ...route, path: withoutTrailingSlash(route.path), hide: true },
    handler,
  );
}

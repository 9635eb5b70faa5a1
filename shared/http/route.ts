/**
 * Declares a route once: the path as documented (with its trailing slash
 * where the spec has one), plus a hidden twin that answers the other form.
 *
 * @module
 */

import type {
  Hook,
  OpenAPIHono,
  RouteConfig,
  RouteHandler,
} from "@hono/zod-openapi";
import type { Context, Env, MiddlewareHandler } from "hono";
import type { ZodType } from "zod";

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

type Part = "query" | "param";

/** How many distinct query strings or paths each route keeps parsed. */
const PARSED_ENTRIES = 256;
/** Longer inputs are parsed every time, so the store stays small. */
const PARSED_KEY_CHARS = 512;

// What follows the `?`, or "" when there is none.
function queryText(url: string): string {
  const mark = url.indexOf("?");
  return mark < 0 ? "" : url.slice(mark + 1);
}

// Hono's reading of a query: a name given once is a string, repeated an array.
function queryValue(c: Context): Record<string, string | string[]> {
  const value: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(c.req.queries())) {
    value[name] = values.length === 1 ? values[0]! : values;
  }
  return value;
}

/**
 * Validates the query or path parameters with `safeParse`, where
 * `@hono/zod-openapi` runs `safeParseAsync` through two more awaits: the
 * schemas have no async refinements. A parse depends on its input text
 * alone, so the last {@linkcode PARSED_ENTRIES} accepted query strings (or
 * paths) of up to {@linkcode PARSED_KEY_CHARS} characters keep their frozen
 * result: the same list URL asked again and again costs a map lookup
 * instead of a parse. Under load, on this project's 2-core VM, the async
 * path cost about 8 µs of server CPU a request and the parse itself about 5,
 * of about 130 for a whole list request. Failures go through the app's hook,
 * so the error body is the same; the hook is not called for accepted input.
 */
function syncValidator<E extends Env>(
  part: Part,
  schema: ZodType,
  hook: Hook<unknown, E, string, unknown> | undefined,
): MiddlewareHandler<E> {
  const parsed = new Map<string, object>();
  return async (c, next) => {
    const key = part === "query" ? queryText(c.req.url) : c.req.path;
    let data = parsed.get(key);
    if (data === undefined) {
      const value = part === "query" ? queryValue(c) : c.req.param();
      const result = schema.safeParse(value);
      if (!result.success) {
        const answer = await hook?.(
          { data: value, ...result, target: part } as never,
          c as never,
        );
        return answer instanceof Response ? answer : c.json(result, 400);
      }
      data = Object.freeze(result.data as object);
      if (key.length <= PARSED_KEY_CHARS) {
        if (parsed.size === PARSED_ENTRIES) {
          parsed.delete(parsed.keys().next().value!);
        }
        parsed.set(key, data);
      }
    }
    c.req.addValidatedData(part, data);
    await next();
  };
}

/**
 * Registers a documented route and its undocumented slash twin, both
 * validated by the same schemas and served by the same handler. Query and
 * path parameters are validated synchronously; bodies by
 * `@hono/zod-openapi`, which also checks their media type.
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
  if (!route.hide) app.openAPIRegistry.registerPath(route);
  const { query, params, ...request } = route.request ?? {};
  const hook = app.defaultHook as Hook<unknown, E, string, unknown>;
  const validators = [
    ...(query ? [syncValidator("query", query, hook)] : []),
    ...(params ? [syncValidator("param", params as ZodType, hook)] : []),
  ];
  const served = {
    ...route,
    request,
    hide: true,
    middleware: [route.middleware ?? [], validators].flat(),
  };
  app.openapi(served, handler as never);
  const twin = slashTwin(route.path);
  if (twin !== route.path) {
    app.openapi({ ...served, path: twin }, handler as never);
  }
}

/**
 * The Hono app every service starts from: request IDs, JSON logs, metrics,
 * a body limit, the JSON error shape, and the routes every service has.
 *
 * @module
 */

import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { routePath } from "hono/route";
import type { BuildInfo } from "../build_info.ts";
import type { KeySet } from "../key_set.ts";
import { errorBody, HttpError } from "../errors.ts";
import type { Context } from "hono";
import { registerDocs } from "./docs.ts";
import { describeError, type ErrorResponse } from "./errors.ts";
import type { Logger } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import { REQUEST_ID_HEADER, requestId } from "./request_id.ts";
import { registerSystemRoutes } from "./system_routes.ts";

/** The Hono environment of every service app. */
export type ServiceEnv = { Variables: { requestId: string } };

/** Options of {@linkcode createServiceApp}. */
export interface ServiceAppOptions {
  /** What `/admin/version/` and `build_info` report. */
  info: BuildInfo;
  /** Where request and error logs go. */
  logger: Logger;
  /** The OpenAPI title, e.g. `Users Backend API`. */
  title: string;
  /** Named checks `/readyz` runs; each rejects when not ready. */
  readiness?: Record<string, () => Promise<void>>;
  /** More fields for `/admin/version/`, e.g. the key ids. */
  versionExtras?: () => Record<string, unknown>;
  /** Whether the process is shutting down: `/readyz` then fails first. */
  lifecycle?: { draining: boolean };
  /** Renders an error for clients that want something else than JSON (web pages). */
  renderError?: (
    c: Context,
    error: ErrorResponse,
  ) => Response | Promise<Response> | undefined;
  /** The current token keys: their kids go to `/admin/version/` and the `token_keys` gauge. */
  keys?: () => KeySet;
  /** Whether to serve the interactive API page at `/docs/`. */
  docs?: boolean;
  /** The largest request body, in bytes; 64 KiB by default. */
  maxBodyBytes?: number;
}

/**
 * Creates the app a service adds its routes to, with `defineRoute`
 * so that paths answer with and without their trailing slash.
 *
 * @param options The build info, logger, readiness checks and limits.
 * @returns The app.
 * @example Usage
 * ```ts
 * import { createServiceApp, jsonLogger } from "@thoughts/shared";
 *
 * const app = createServiceApp({ info, logger: jsonLogger("users"), title: "Users Backend API" });
 * const res = await app.request("/healthz");
 * ```
 */
export function createServiceApp(
  options: ServiceAppOptions,
): OpenAPIHono<ServiceEnv> {
  const { info, logger } = options;
  const keys = options.keys;
  const keyIds = keys && (() => [...keys().verifiers.keys()].sort());
  const metrics = createMetrics(info, keyIds);
  const app = new OpenAPIHono<ServiceEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const problems = result.error.issues.map((issue) =>
        `'${issue.path.join(".") || result.target}': ${issue.message}`
      );
      return c.json(
        errorBody(
          "bad_request",
          `Invalid ${result.target}: ${problems.join("; ")}`,
        ),
        400,
      );
    },
  });

  const limit = bodyLimit({
    maxSize: options.maxBodyBytes ?? 64 * 1024,
    onError: () => {
      throw new HttpError(413, "Request body too large");
    },
  });
  // Route patterns are few and fixed, so each is named once.
  const routeNames = new Map<string, string>();
  app.use(async (c, next) => {
    const started = performance.now();
    const id = requestId(c.req.header(REQUEST_ID_HEADER));
    c.set("requestId", id);
    await next();
    // Set on the finished response: a header set before it exists makes
    // Hono build every response's headers twice, a sixth of this layer's
    // cost. Only a response with immutable headers (a fetched one, a
    // `Response.redirect`) is copied.
    try {
      c.res.headers.set(REQUEST_ID_HEADER, id);
    } catch {
      c.header(REQUEST_ID_HEADER, id);
    }
    const method = c.req.method;
    const matched = routePath(c, -1);
    let route = routeNames.get(matched);
    if (route === undefined) {
      // Both slash forms of a route count as one.
      route = matched === "/*" || matched === "*"
        ? "unmatched"
        : matched.replace(/(.)\/$/, "$1");
      routeNames.set(matched, route);
    }
    const status = c.res.status;
    const seconds = (performance.now() - started) / 1000;
    metrics.observe(method, route, status, seconds);
    logger("info", "Request", {
      requestId: id,
      method,
      path: c.req.path,
      route,
      status,
      ms: Math.round(seconds * 10000) / 10,
    });
  });
  // A layer of its own, so the request layer above sees its 413 as a
  // response. GET and HEAD carry no body; they skip it.
  app.use((c, next) =>
    c.req.method === "GET" || c.req.method === "HEAD" ? next() : limit(c, next)
  );

  app.onError(async (error, c) => {
    const described = describeError(error);
    const { status, code, message, unexpected } = described;
    if (unexpected) {
      const cause = error instanceof Error ? (error.cause ?? error) : error;
      logger("error", "Request failed", {
        requestId: c.get("requestId"),
        error: cause instanceof Error
          ? `${cause.name}: ${cause.message}`
          : String(cause),
        stack: cause instanceof Error ? cause.stack : undefined,
      });
    }
    return (await options.renderError?.(c, described)) ??
      c.json(errorBody(code, message), status as 400);
  });
  app.notFound(async (c) => {
    const notFound = {
      status: 404,
      code: "not_found",
      message: "Route not found",
      unexpected: false,
    } as const;
    return (await options.renderError?.(c, notFound)) ??
      c.json(errorBody(notFound.code, notFound.message), 404);
  });

  const lifecycle = options.lifecycle;
  const readiness = {
    ...(lifecycle && {
      accepting: () =>
        lifecycle.draining
          ? Promise.reject(new HttpError(503, "Shutting down"))
          : Promise.resolve(),
    }),
    ...options.readiness,
  };
  const versionExtras = () => ({
    ...(keyIds && { kids: keyIds() }),
    ...options.versionExtras?.(),
  });
  registerSystemRoutes(app, {
    ...options,
    readiness,
    versionExtras,
    metrics,
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  if (options.docs) registerDocs(app as never, options.title);
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: options.title, version: info.version },
  });
  return app;
}

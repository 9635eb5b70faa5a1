/**
 * The Hono app every service starts from: request IDs, JSON access logs,
 * metrics, a body limit, UTF-8 bodies, the JSON error shape, and the routes every service
 * has.
 *
 * @module
 */

import { type Hook, OpenAPIHono } from "@hono/zod-openapi";
import type { Context, Env } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { KeySet } from "../auth/key_set.ts";
import type { Logger } from "../log/log.ts";
import type { BuildInfo } from "../version/build_info.ts";
import { describeError, type ErrorResponse } from "./_describe_error.ts";
import { registerDocs } from "./_docs.ts";
import { accessLog } from "./access_log.ts";
import { ADMIN_TOKEN_HEADER } from "./admin_auth.ts";
import { errorBody, HttpError } from "./http_error.ts";
import { requestIds } from "./request_ids.ts";
import { utf8Body } from "./utf8_body.ts";
import { createMetrics } from "./metrics.ts";
import { registerSystemRoutes } from "./_system_routes.ts";

/** The Hono environment of every service app; services extend it. */
export type ServiceEnv = { Variables: { requestId: string } };

/** Options of {@linkcode createServiceApp}. */
export interface ServiceAppOptions<E extends ServiceEnv = ServiceEnv> {
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
    c: Context<E>,
    error: ErrorResponse,
  ) => Response | Promise<Response> | undefined;
  /** The current token keys: their kids go to `/admin/version/` and the `token_keys` gauge. */
  keys?: () => KeySet;
  /** Whether to serve the interactive API page at `/docs/`. */
  docs?: boolean;
  /** The largest request body, in bytes; 64 KiB by default. */
  maxBodyBytes?: number;
  /**
   * Maps the service's own domain errors (by their `code`) to what clients
   * are told; `undefined` leaves an error to the shared mapping.
   */
  domainErrors?: (error: unknown) => HttpError | undefined;
}

/**
 * Creates the app a service adds its routes to with `defineRoute`. It is
 * built with `strict: false`, so every path answers with and without its
 * trailing slash. Handlers answer through the context (`c.json`,
 * `c.redirect`, `c.body`), which carries the `X-Request-ID` header.
 *
 * @param options The build info, logger, readiness checks and limits.
 * @returns The app.
 * @example Usage
 * ```ts
 * import { createServiceApp } from "@thoughts/shared/http";
 * import { memoryLogger } from "@thoughts/shared/log";
 *
 * const info = { service: "users", version: "v2.3", commit: "c".repeat(40), source: "stamped", requires: {} } as const;
 * const app = createServiceApp({ info, logger: memoryLogger().logger, title: "Users Backend API" });
 * (await app.request("/healthz")).status; // 200
 * ```
 */
export function createServiceApp<E extends ServiceEnv = ServiceEnv>(
  options: ServiceAppOptions<E>,
): OpenAPIHono<E> {
  const { info, logger } = options;
  const keys = options.keys;
  const keyIds = keys && (() => [...keys().verifiers.keys()].sort());
  const metrics = createMetrics(info, keyIds);
  const app = new OpenAPIHono<E>({
    strict: false,
    defaultHook: (result, c) => invalidInput(result, c),
  });

  app.use(
    requestIds(),
    accessLog(metrics, logger),
  );
  // Only the methods that carry a body pay for the limit and the UTF-8 check.
  app.on(
    ["POST", "PUT", "PATCH", "DELETE"],
    "*",
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 64 * 1024,
      onError: () => {
        throw new HttpError(413, "Request body too large");
      },
    }),
    utf8Body(),
  );

  handleErrors(app, options);

  const lifecycle = options.lifecycle;
  registerSystemRoutes(app, {
    info,
    metrics,
    readiness: {
      ...(lifecycle && {
        accepting: () =>
          lifecycle.draining
            ? Promise.reject(new HttpError(503, "Shutting down"))
            : Promise.resolve(),
      }),
      ...options.readiness,
    },
    versionExtras: () => ({
      ...(keyIds && { kids: keyIds() }),
      ...options.versionExtras?.(),
    }),
  });
  registerSecuritySchemes(app);
  if (options.docs) registerDocs(app, options.title);
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: options.title, version: info.version },
  });
  return app;
}

// A request that fails its route's schema: 400 naming each problem.
function invalidInput(
  result: Parameters<Hook<unknown, Env, string, unknown>>[0],
  c: Context,
): Response | undefined {
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
}

// One JSON error shape for every failure and unknown route, or the
// service's own page for it (the frontend's HTML).
function handleErrors<E extends ServiceEnv>(
  app: OpenAPIHono<E>,
  options: ServiceAppOptions<E>,
): void {
  const { logger } = options;
  app.onError(async (error, c) => {
    const described = describeError(options.domainErrors?.(error) ?? error);
    const { status, code, message, unexpected } = described;
    if (unexpected) {
      const cause = error.cause ?? error;
      logger("error", "Request failed", {
        requestId: c.get("requestId"),
        error: cause instanceof Error
          ? `${cause.name}: ${cause.message}`
          : String(cause),
        stack: cause instanceof Error ? cause.stack : undefined,
      });
    }
    if (described.retryAfter !== undefined) {
      c.header("Retry-After", String(described.retryAfter));
    }
    return (await options.renderError?.(c, described)) ??
      c.json(errorBody(code, message), status);
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
}

// The schemes the routes' OpenAPI declarations name.
function registerSecuritySchemes<E extends Env>(app: OpenAPIHono<E>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "apiKey",
    in: "header",
    name: ADMIN_TOKEN_HEADER,
  });
}

/**
 * The access log every service app runs: one JSON log line and one metrics
 * observation per request.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Logger } from "../log/log.ts";
import type { ServiceMetrics } from "./metrics.ts";

/**
 * Logs each request once it is answered and observes it in the metrics,
 * under its route pattern (both slash forms are one route) rather than the
 * raw path, so ids do not become series. Put it after `requestId()`, whose
 * ID it logs.
 *
 * @param metrics Where the request's duration is observed.
 * @param logger Where the line goes.
 * @returns The middleware.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { requestId } from "hono/request-id";
 * import { accessLog, createMetrics } from "@thoughts/shared/http";
 * import { memoryLogger } from "@thoughts/shared/log";
 *
 * const info = { service: "users", version: "v2.3", commit: "c".repeat(40), source: "stamped", requires: {} } as const;
 * const { logger, records } = memoryLogger();
 * const app = new Hono<{ Variables: { requestId: string } }>();
 * app.use(requestId(), accessLog(createMetrics(info), logger));
 * app.get("/items/:id", (c) => c.text("ok"));
 * await app.request("/items/7");
 * records[0]?.route; // "/items/:id"
 * ```
 */
export function accessLog(
  metrics: ServiceMetrics,
  logger: Logger,
): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    // Only the status is read: touching the response's headers makes Deno
    // drop the native response it prepared and build the answer again.
    const matched = routePath(c, -1);
    const route = matched === "/*" || matched === "*" ? "unmatched" : matched;
    const seconds = (performance.now() - started) / 1000;
    metrics.observe(c.req.method, route, c.res.status, seconds);
    logger("info", "Request", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      route,
      status: c.res.status,
      ms: Math.round(seconds * 10000) / 10,
    });
  };
}

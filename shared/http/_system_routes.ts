/**
 * The routes every service answers: liveness, readiness, metrics, version.
 *
 * @module
 */

import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Env } from "hono";
import type { ServiceMetrics } from "./metrics.ts";
import type { BuildInfo } from "../version/build_info.ts";
import { runtimeVersion } from "../service/listener.ts";
import { errorBody } from "./http_error.ts";
import { defineRoute } from "./route.ts";
import { errorResponses, jsonResponse } from "./schemas.ts";

const READY_TIMEOUT_MS = 2000;
const RUNTIME = runtimeVersion();

const VersionSchema = z.object({
  service: z.string().openapi({ example: "users" }),
  version: z.string().openapi({ example: "v2.3" }),
  commit: z.string().openapi({
    example: "2257f9c0d4c1e6b6f2d1c6a7b8e9f0a1b2c3d4e5",
  }),
  source: z.enum(["stamped", "git", "declared"]),
  requires: z.record(z.string(), z.string()).openapi({
    description: "The lowest version of each dependency this build works with",
    example: { users_backend: "v2.3" },
  }),
  runtime: z.string().openapi({
    description: "What runs the service: the runtime and its version",
    example: "node 26.12.1",
  }),
  instance: z.string().optional().openapi({
    description: "The replica that answered (its host name)",
    example: "thoughts-5cd00581-0",
  }),
}).passthrough().openapi("Version");

const routes = {
  health: createRoute({
    method: "get",
    path: "/healthz",
    tags: ["System"],
    summary: "Liveness",
    responses: {
      200: jsonResponse(
        z.object({ status: z.literal("ok") }),
        "The process is alive",
      ),
    },
  }),
  ready: createRoute({
    method: "get",
    path: "/readyz",
    tags: ["System"],
    summary: "Readiness: the database and dependencies answer",
    responses: {
      200: jsonResponse(
        z.object({
          status: z.literal("ready"),
          checks: z.record(z.string(), z.string()),
        }),
        "Ready to serve",
      ),
      ...errorResponses({ 503: "A check failed" }),
    },
  }),
  metrics: createRoute({
    method: "get",
    path: "/metrics",
    tags: ["System"],
    summary: "Prometheus metrics",
    responses: {
      200: {
        description: "Prometheus text format",
        content: { "text/plain": { schema: z.string() } },
      },
    },
  }),
  version: createRoute({
    method: "get",
    path: "/admin/version/",
    tags: ["System"],
    summary: "The running build's version and commit",
    responses: {
      200: jsonResponse(VersionSchema, "Build metadata stamped at build time"),
    },
  }),
};

/** Adds the system routes to a service app. */
export function registerSystemRoutes<E extends Env>(
  app: OpenAPIHono<E>,
  options: {
    info: BuildInfo;
    readiness?: Record<string, () => Promise<void>>;
    versionExtras?: () => Record<string, unknown>;
    metrics: Pick<ServiceMetrics, "contentType" | "render">;
  },
): void {
  const checks = Object.entries(options.readiness ?? {});
  defineRoute(
    app,
    routes.health,
    (c) => c.json({ status: "ok" as const }, 200),
  );
  defineRoute(app, routes.ready, async (c) => {
    const results = await Promise.all(checks.map(([, check]) => settle(check)));
    const report = Object.fromEntries(
      checks.map(([name], i) => [name, results[i] ?? "ok"]),
    );
    const failed = checks.filter((_, i) => results[i] !== "ok").map(([name]) =>
      `'${name}'`
    );
    if (failed.length === 0) {
      return c.json({ status: "ready" as const, checks: report }, 200);
    }
    return c.json({
      ...errorBody("unavailable", `Not ready: ${failed.join(", ")}`),
      checks: report,
    }, 503);
  });
  defineRoute(app, routes.metrics, async (c) => {
    return c.text(await options.metrics.render(), 200, {
      "Content-Type": options.metrics.contentType,
    });
  });
  defineRoute(
    app,
    routes.version,
    (c) =>
      c.json({
        ...options.info,
        runtime: RUNTIME,
        ...options.versionExtras?.(),
      }, 200),
  );
}

// A check's own message is shown only when it is a known, client-safe one.
async function settle(check: () => Promise<void>): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("Timed out")),
          READY_TIMEOUT_MS,
        );
      }),
    ]);
    return "ok";
  } catch (error) {
    const name = (error as Error)?.name;
    return ["StoreError", "HttpError"].includes(name) ||
        (error as Error)?.message === "Timed out"
      ? (error as Error).message
      : "failed";
  } finally {
    clearTimeout(timer);
  }
}

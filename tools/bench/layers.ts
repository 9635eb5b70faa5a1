/**
 * Where the service's cost over the floor goes: one thought served by a
 * bare Hono route, then with the service's own layers added one at a time
 * (request IDs, the access log with metrics, validation by
 * `@hono/zod-openapi`), each in a server of its own for the bench.
 *
 * @module
 */

import { OpenAPIHono } from "@hono/zod-openapi";
import { Hono } from "hono";
import { databaseConfig, loadConfig } from "@thoughts/shared/config";
import {
  accessLog,
  createMetrics,
  defineRoute,
  errorBody,
  requestIds,
  type ServiceEnv,
} from "@thoughts/shared/http";
import { jsonLogger, type Logger } from "@thoughts/shared/log";
import { openDatabase } from "@thoughts/shared/store";
import { routes } from "../../thoughts/app.ts";
import { thoughtsVariables } from "../../thoughts/config.ts";
import { thoughtJson } from "../../thoughts/schemas.ts";
import {
  createThoughtsStore,
  type ThoughtsStore,
} from "../../thoughts/store.ts";

/** The layers, each adding to the ones before it, as the bench names them. */
export const LAYERS = {
  hono: "Hono alone",
  "request-id": "+ request IDs",
  "access-log": "+ access log and metrics",
  validation: "+ zod-openapi validation",
} as const;

/** One of {@linkcode LAYERS}. */
export type Layer = keyof typeof LAYERS;

const isLayer = (name: string): name is Layer => Object.hasOwn(LAYERS, name);

/**
 * Builds the app serving `GET /api/thoughts/{id}/` with the layers up to
 * and including `layer`, from the service's own middleware and route.
 *
 * @param layer The last layer added.
 * @param store The thoughts store.
 * @param logger Where the access log goes, from `access-log` on.
 * @returns The app.
 * @example Usage
 * ```ts
 * import { createLayerApp } from "./layers.ts";
 *
 * const app = createLayerApp("request-id", store, logger);
 * (await app.request("/api/thoughts/1/")).headers.has("X-Request-ID"); // true
 * ```
 */
export function createLayerApp(
  layer: Layer,
  store: ThoughtsStore,
  logger: Logger,
): Hono<ServiceEnv> {
  const order = Object.keys(LAYERS);
  const has = (l: Layer) => order.indexOf(l) <= order.indexOf(layer);
  const app = has("validation")
    ? new OpenAPIHono<ServiceEnv>({ strict: false })
    : new Hono<ServiceEnv>({ strict: false });
  if (has("request-id")) {
    app.use(requestIds());
  }
  if (has("access-log")) {
    const info = {
      service: "thoughts",
      version: "v0.0",
      commit: "0".repeat(40),
      source: "stamped",
      requires: {},
    } as const;
    app.use(accessLog(createMetrics(info), logger));
  }
  const missing = (id: number) =>
    errorBody("not_found", `Thought not found: '${id}'`);
  if (app instanceof OpenAPIHono) {
    defineRoute(app, routes.get, async (c) => {
      const { id } = c.req.valid("param");
      const thought = await store.get(id);
      return thought
        ? c.json(thoughtJson(thought), 200)
        : c.json(missing(id), 404);
    });
  } else {
    app.get("/api/thoughts/:id", async (c) => {
      const id = Number(c.req.param("id"));
      const thought = await store.get(id);
      return thought ? c.json(thoughtJson(thought)) : c.json(missing(id), 404);
    });
  }
  return app;
}

if (import.meta.main) {
  const env = Deno.env.toObject();
  const layer = env.BENCH_LAYER ?? "";
  if (!isLayer(layer)) {
    throw new Error(
      `Unknown BENCH_LAYER '${layer}': use one of ${
        Object.keys(LAYERS).join(", ")
      }`,
    );
  }
  const config = loadConfig(thoughtsVariables, env);
  const store = await createThoughtsStore(
    await openDatabase(databaseConfig(config)),
  );
  const app = createLayerApp(layer, store, jsonLogger("thoughts"));
  app.get("/readyz", (c) => c.text("ok"));
  Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
  Deno.serve({
    hostname: "127.0.0.1",
    port: config.PORT,
    onListen: () => console.log(`layer ${layer} ready`),
  }, app.fetch);
}

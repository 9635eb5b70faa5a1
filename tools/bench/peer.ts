/**
 * The peer of the benchmark: what a TypeScript team would pick instead,
 * Fastify 5 on Node 26 with postgres.js and jose, doing our services'
 * per-request duties the way Fastify users do them: the request ID read
 * and echoed (`requestIdHeader`), one JSON log line per request (pino, to
 * stdout as ours), one Prometheus histogram observation by route
 * (prom-client), the query and parameters validated against JSON schemas.
 * The same SQL as the thoughts service, the same 20 rows; tokens verified
 * every time. Bundled by `deno bundle` and run by the pinned Node; it is
 * bench code, never the product's.
 *
 * @module
 */

import Fastify, { type FastifyReply, LogController } from "fastify";
import { jwtVerify } from "jose";
import { readFileSync } from "node:fs";
import { createPublicKey, randomUUID } from "node:crypto";
import process from "node:process";
import pino from "pino";
import client from "prom-client";
import postgres from "postgres";

const env = process.env;
const sql = postgres({
  host: env.POSTGRES_HOST,
  port: Number(env.POSTGRES_PORT),
  username: env.POSTGRES_USER,
  password: env.POSTGRES_PASSWORD,
  database: env.POSTGRES_DB,
  max: 10,
  onnotice: () => {},
});
const key = createPublicKey(
  readFileSync(`${env.SECRETS_DIR}/public_key.pub`, "utf8"),
);
const requests = new client.Histogram({
  name: "http_request_duration_seconds",
  help: "Request latency by route",
  labelNames: ["method", "route", "status"],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

// The thoughts service's SQL, the time written by the database.
const COLUMNS =
  `id, username, text, to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS timestamp`;
type Row = { id: number; username: string; text: string; timestamp: string };

const app = Fastify({
  loggerInstance: pino({ base: { service: "peer" } }),
  // One line per request, ours below, instead of Fastify's two.
  logController: new LogController({ disableRequestLogging: true }),
  requestIdHeader: "x-request-id",
  genReqId: () => randomUUID(),
  routerOptions: { ignoreTrailingSlash: true },
});
app.addHook("onRequest", (request, reply, done) => {
  reply.header("x-request-id", request.id);
  done();
});
app.addHook("onResponse", (request, reply, done) => {
  const route = request.routeOptions.url ?? "unmatched";
  const status = reply.statusCode;
  requests.observe(
    { method: request.method, route, status },
    reply.elapsedTime / 1000,
  );
  request.log.info({
    requestId: request.id,
    method: request.method,
    path: request.url,
    route,
    status,
    ms: Math.round(reply.elapsedTime * 10) / 10,
  }, "Request");
  done();
});

// The page, and the same Link header ours sends: the request's query with
// the next page's cursor (RFC 8288).
function page(
  url: string,
  reply: FastifyReply,
  rows: Row[],
  limit: number,
  order: "asc" | "desc" = "desc",
) {
  const shown = rows.slice(0, limit);
  if (rows.length > limit) {
    const [path, query = ""] = url.split("?");
    const kept = query.split("&").filter((pair) =>
      pair !== "" && !/^(before|after|offset)(=|$)/.test(pair)
    );
    const cursor = order === "asc" ? "after" : "before";
    const next = [...kept, `${cursor}=${shown.at(-1)!.id}`].join("&");
    reply.header("link", `<${path}?${next}>; rel="next"`);
  }
  return shown;
}

const pageQuery = {
  type: "object",
  properties: {
    order: { type: "string", enum: ["asc", "desc"], default: "desc" },
    limit: { type: "integer", minimum: 1, maximum: 500, default: 100 },
    search: { type: "string", maxLength: 200 },
  },
  additionalProperties: false,
} as const;

app.get<{ Querystring: { limit: number; order: "asc" | "desc" } }>(
  "/api/thoughts/",
  { schema: { querystring: pageQuery } },
  async (request, reply) => {
    const { limit, order } = request.query;
    const rows = await sql.unsafe<Row[]>(
      `SELECT ${COLUMNS} FROM thoughts ORDER BY id ${
        order === "asc" ? "ASC" : "DESC"
      } LIMIT $1 OFFSET $2`,
      [limit + 1, 0],
      { prepare: true },
    );
    return page(request.url, reply, rows, limit, order);
  },
);

app.get<{ Params: { id: number } }>("/api/thoughts/:id/", {
  schema: {
    params: {
      type: "object",
      properties: { id: { type: "integer", minimum: 1 } },
      required: ["id"],
    },
  },
}, async (request, reply) => {
  const [row] = await sql.unsafe<Row[]>(
    `SELECT ${COLUMNS} FROM thoughts WHERE id = $1`,
    [request.params.id],
    { prepare: true },
  );
  if (!row) return reply.code(404).send({ error: "not found" });
  return row;
});

app.get<{ Querystring: { limit: number; order: "asc" | "desc" } }>(
  "/api/me/thoughts/",
  { schema: { querystring: pageQuery } },
  async (request, reply) => {
    const header = request.headers.authorization ?? "";
    let username: string;
    try {
      const { payload } = await jwtVerify(header.slice(7), key, {
        algorithms: ["RS256"],
      });
      username = String(payload.username);
    } catch {
      return reply.code(401).send({ error: "unauthorized" });
    }
    const rows = await sql.unsafe<Row[]>(
      `SELECT ${COLUMNS} FROM thoughts WHERE username = $1::text ORDER BY id DESC LIMIT $2 OFFSET $3`,
      [username, request.query.limit + 1, 0],
      { prepare: true },
    );
    return page(request.url, reply, rows, request.query.limit);
  },
);

app.get("/readyz", () => Promise.resolve({ status: "ready" }));
app.get("/metrics", async (_request, reply) => {
  reply.header("content-type", client.register.contentType);
  return await client.register.metrics();
});

process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
await app.listen({ host: "127.0.0.1", port: Number(env.PORT) });

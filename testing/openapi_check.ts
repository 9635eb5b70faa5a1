/**
 * Checks that an app's OpenAPI document is valid and describes exactly the
 * routes the app serves, for the backends' tests.
 *
 * @module
 */

import { Validator } from "@seriousme/openapi-schema-validator";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Env, Hono } from "hono";
import { assertEquals, assertOk } from "./assert.ts";
import { withoutTrailingSlash } from "@thoughts/shared/http";

/** An OpenAPI 3.1 document, as `@hono/zod-openapi` types it. */
export type OpenApiDocument = ReturnType<OpenAPIHono["getOpenAPI31Document"]>;

// Served on purpose outside the API document: the document itself and its page.
const UNDOCUMENTED = /^\/(openapi\.json|docs(\/.*)?)$/;

/**
 * Fetches `/openapi.json`, validates it as OpenAPI 3.1, and compares its
 * paths with the app's routes both ways.
 *
 * @param app The app.
 * @param title The expected `info.title`.
 * @returns The document.
 * @throws {AssertionError} On an invalid document or a route mismatch.
 * @example Usage
 * ```ts
 * import { createServiceApp } from "@thoughts/shared/http";
 * import { memoryLogger } from "@thoughts/shared/log";
 * import { checkOpenApi } from "./openapi_check.ts";
 *
 * const info = { service: "users", version: "v2.3", commit: "c".repeat(40), source: "stamped", requires: {} } as const;
 * const app = createServiceApp({ info, logger: memoryLogger().logger, title: "Users Backend API" });
 * const doc = await checkOpenApi(app, "Users Backend API");
 * ```
 */
export async function checkOpenApi<E extends Env>(
  app: Hono<E>,
  title: string,
): Promise<OpenApiDocument> {
  const text = await (await app.request("/openapi.json")).text();
  const doc: OpenApiDocument = JSON.parse(text);
  const validator = new Validator();
  const result = await validator.validate(JSON.parse(text));
  assertOk(
    result.valid,
    `Invalid OpenAPI document: ${JSON.stringify(result.errors)}`,
  );
  assertEquals([validator.version, doc.openapi, doc.info.title], [
    "3.1",
    "3.1.0",
    title,
  ]);
  const version = await (await app.request("/admin/version/")).json();
  assertEquals(doc.info.version, version.version);
  assertEquals(doc.servers, undefined, "servers stay relative");

  const documented = new Set<string>();
  for (
    const [path, item] of Object.entries(doc.paths ?? {})
  ) {
    for (const method of Object.keys(item)) {
      documented.add(
        `${method.toUpperCase()} ${
          withoutTrailingSlash(path.replace(/\{(\w+)\}/g, ":$1"))
        }`,
      );
    }
  }
  const served = new Set(
    app.routes.filter((r) =>
      r.method !== "ALL" && r.path !== "/*" && !UNDOCUMENTED.test(r.path)
    )
      .map((r) => `${r.method} ${r.path}`),
  );
  for (const route of served) {
    const [method, path] = route.split(" ") as [string, string];
    assertOk(
      documented.has(`${method} ${withoutTrailingSlash(path)}`),
      `Served but not documented: ${route}`,
    );
  }
  for (const route of documented) {
    assertOk(served.has(route), `Documented but not served: ${route}`);
  }
  return doc;
}

/** A sample request and the status its documented response has. */
export type ResponseSample = [
  name: string,
  route: { responses: Record<number, unknown> },
  path: string,
  init: RequestInit,
  status: number,
];

/**
 * Sends each sample request and checks the response against the schema the
 * route documents for that status: the same zod schema the document is
 * generated from.
 *
 * @param t The test context, one step per sample.
 * @param app The app.
 * @param samples Name, route, path, request and expected status.
 * @throws {AssertionError} On another status or a body off its schema.
 * @example Usage
 * ```ts
 * import { createRoute, z } from "@hono/zod-openapi";
 * import { createServiceApp, defineRoute, jsonResponse } from "@thoughts/shared/http";
 * import { memoryLogger } from "@thoughts/shared/log";
 * import { checkDocumentedResponses } from "./openapi_check.ts";
 *
 * const info = { service: "users", version: "v2.3", commit: "c".repeat(40), source: "stamped", requires: {} } as const;
 * const app = createServiceApp({ info, logger: memoryLogger().logger, title: "Users" });
 * const hello = createRoute({ method: "get", path: "/hello/", responses: { 200: jsonResponse(z.object({ hi: z.string() }), "Hello") } });
 * defineRoute(app, hello, (c) => c.json({ hi: "there" }, 200));
 * // In a test, `t` is its context; here each step simply runs.
 * const t = { step: async (_name: string, fn: () => Promise<void>) => (await fn(), true) };
 * await checkDocumentedResponses(t, app, [["hello", hello, "/hello/", {}, 200]]);
 * ```
 */
export async function checkDocumentedResponses<E extends Env>(
  t: { step(name: string, fn: () => Promise<void>): Promise<boolean> },
  app: Hono<E>,
  samples: ResponseSample[],
): Promise<void> {
  for (const [name, route, path, init, status] of samples) {
    await t.step(name, async () => {
      const res = await app.request(path, init);
      assertEquals(res.status, status);
      const documented = route.responses[status] as {
        content: {
          "application/json": {
            schema: { safeParse(v: unknown): { error?: { issues: unknown } } };
          };
        };
      };
      const parsed = documented.content["application/json"].schema.safeParse(
        await res.json(),
      );
      assertEquals(parsed.error?.issues, undefined);
    });
  }
}

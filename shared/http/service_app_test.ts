import { createRoute, z } from "@hono/zod-openapi";
import {
  assertEquals,
  assertMatch,
  assertOk,
  assertStringIncludes,
} from "@thoughts/testing";
import { HttpError } from "./http_error.ts";
import { StoreError } from "../store/database.ts";
import { memoryLogger } from "../log/log.ts";
import { defineRoute } from "./route.ts";
import { createServiceApp } from "./service_app.ts";

const info = {
  service: "demo",
  version: "v1.6",
  commit: "a".repeat(40),
  source: "stamped",
  requires: {},
} as const;

function demoApp(ready: () => Promise<void> = () => Promise.resolve()) {
  const { logger, records } = memoryLogger();
  const app = createServiceApp({
    info,
    logger,
    title: "Demo API",
    readiness: { database: ready },
    versionExtras: () => ({ kids: ["k1"] }),
    maxBodyBytes: 100,
  });
  defineRoute(
    app,
    createRoute({
      method: "post",
      path: "/items/{id}/",
      request: {
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: {
          content: {
            "application/json": {
              schema: z.object({ name: z.string().min(1) }),
            },
          },
        },
      },
      responses: { 200: { description: "ok" } },
    }),
    (c) =>
      c.json(
        { id: c.req.valid("param").id, name: c.req.valid("json").name },
        200,
      ),
  );
  app.get("/boom", () => {
    throw new Error("secret internals");
  });
  app.get("/gone", () => {
    throw new HttpError(410, "Gone for good");
  });
  app.get("/moved", (c) => c.redirect("/healthz", 308));
  return { app, records };
}

const post = (body: string, type = "application/json") => ({
  method: "POST",
  body,
  headers: { "Content-Type": type },
});

Deno.test("system routes answer with and without the trailing slash", async (t) => {
  const { app } = demoApp();
  for (
    const path of [
      "/healthz",
      "/healthz/",
      "/admin/version/",
      "/admin/version",
      "/readyz",
    ]
  ) {
    await t.step(
      path,
      async () => assertEquals((await app.request(path)).status, 200),
    );
  }
  assertEquals(await (await app.request("/admin/version")).json(), {
    ...info,
    runtime: `deno ${Deno.version.deno}`,
    kids: ["k1"],
  });
  assertEquals(await (await app.request("/readyz")).json(), {
    status: "ready",
    checks: { database: "ok" },
  });
});

Deno.test("GET /readyz fails with 503 while a check fails", async () => {
  const { app } = demoApp(() =>
    Promise.reject(new StoreError("unavailable", "Database unavailable"))
  );
  const res = await app.request("/readyz");
  assertEquals(res.status, 503);
  assertEquals(await res.json(), {
    error: { code: "unavailable", message: "Not ready: 'database'" },
    checks: { database: "Database unavailable" },
  });
});

Deno.test("GET /metrics counts requests by route pattern, not raw path", async () => {
  const { app } = demoApp();
  await app.request("/items/42/", post('{"name":"x"}'));
  await app.request("/items/43", post('{"name":"x"}'));
  await app.request("/nowhere/1");
  const res = await app.request("/metrics");
  assertStringIncludes(res.headers.get("content-type") ?? "", "text/plain");
  const text = await res.text();
  assertStringIncludes(
    text,
    'http_requests_total{method="POST",route="/items/:id",status="200"} 2',
  );
  assertStringIncludes(
    text,
    'http_requests_total{method="GET",route="unmatched",status="404"} 1',
  );
  assertStringIncludes(
    text,
    'http_request_duration_seconds_bucket{le="0.005",method="POST"',
  );
  assertStringIncludes(
    text,
    `build_info{service="demo",version="v1.6",commit="${"a".repeat(40)}"} 1`,
  );
  assertOk(!text.includes("/items/42"));
});

Deno.test("GET /metrics stays the same size under a flood of made-up methods and paths", async () => {
  const { app } = demoApp();
  const flood = async (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const method = `X${i.toString(36).toUpperCase()}`;
      await (await app.request(`/made/up/${i}`, { method })).body?.cancel();
      await (await app.request(`/items/${i}/`)).body?.cancel();
      await (await app.request(`/nowhere/${i}?q=${i}`)).body?.cancel();
    }
    return await (await app.request("/metrics")).text();
  };
  await flood(0, 0); // the scrape counts itself from then on
  const after10 = await flood(0, 10);
  const after2000 = await flood(10, 2000);
  const series = (text: string) =>
    text.split("\n").filter((line) => line && !line.startsWith("#"));
  // The same series; only the counts and sums grew.
  assertEquals(
    series(after2000).map((line) => line.replace(/ \S+$/, "")),
    series(after10).map((line) => line.replace(/ \S+$/, "")),
  );
  assertOk(
    after2000.length - after10.length < 600,
    `${after10.length} bytes, then ${after2000.length}`,
  );
  assertStringIncludes(
    after2000,
    'http_requests_total{method="OTHER",route="unmatched",status="404"} 2000',
  );
});

Deno.test("errors come out in the JSON error shape", async (t) => {
  const { app, records } = demoApp();
  const cases: [string, Request | string, number, string, string][] = [
    ["unknown route", "/nope", 404, "not_found", "Route not found"],
    ["HttpError", "/gone", 410, "internal", "Gone for good"],
    [
      "unexpected error hides its message",
      "/boom",
      500,
      "internal",
      "Internal server error",
    ],
    [
      "malformed JSON",
      new Request("http://x/items/1/", post("{")),
      400,
      "bad_request",
      "Malformed JSON",
    ],
    [
      "schema violation names the field",
      new Request("http://x/items/1/", post('{"name":5}')),
      400,
      "bad_request",
      "'name'",
    ],
    [
      "bad path parameter",
      new Request("http://x/items/abc/", post('{"name":"a"}')),
      400,
      "bad_request",
      "'id'",
    ],
    [
      "unsupported media type",
      new Request("http://x/items/1/", post("name=a", "text/plain")),
      415,
      "unsupported_media_type",
      "Unsupported",
    ],
    [
      "body over the limit",
      new Request(
        "http://x/items/1/",
        post(JSON.stringify({ name: "x".repeat(200) })),
      ),
      413,
      "payload_too_large",
      "Request body too large",
    ],
  ];
  for (const [name, request, status, code, message] of cases) {
    await t.step(name, async () => {
      const res = await app.request(request);
      assertEquals(res.status, status);
      const body = await res.json();
      assertEquals(body.error.code, code);
      assertStringIncludes(body.error.message, message);
    });
  }
  const failure = records.find((r) => r.message === "Request failed");
  assertStringIncludes(String(failure?.error), "secret internals");
  // Failed requests are logged like any other, with their status.
  assertEquals(
    records.filter((r) => r.message === "Request").map((r) => r.status),
    cases.map(([, , status]) => status),
  );
});

Deno.test("a request ID is kept when safe and replaced otherwise", async (t) => {
  const { app, records } = demoApp();
  await t.step("safe ID echoed and logged", async () => {
    const res = await app.request("/healthz", {
      headers: { "X-Request-ID": "abc-123" },
    });
    assertEquals(res.headers.get("X-Request-ID"), "abc-123");
    assertEquals(records.at(-1)?.requestId, "abc-123");
  });
  const answers: [string, RequestInit | undefined, number][] = [
    ["/healthz", undefined, 200],
    ["/nope", undefined, 404],
    ["/boom", undefined, 500],
    ["/items/1/", post(JSON.stringify({ name: "x".repeat(200) })), 413],
    ["/moved", undefined, 308],
  ];
  for (const [path, init, status] of answers) {
    await t.step(`echoed with a ${status} from ${path}`, async () => {
      const res = await app.request(path, {
        ...init,
        headers: { ...init?.headers, "X-Request-ID": `id-${status}` },
      });
      await res.body?.cancel();
      assertEquals(res.status, status);
      assertEquals(res.headers.get("X-Request-ID"), `id-${status}`);
    });
  }
  for (const bad of ["a b", "x".repeat(10_000), "a\u00e9"]) {
    await t.step(`replaced: ${bad.slice(0, 10)}`, async () => {
      const res = await app.request("/healthz", {
        headers: { "X-Request-ID": bad },
      });
      assertMatch(res.headers.get("X-Request-ID") ?? "", /^[0-9a-f-]{36}$/);
    });
  }
});

Deno.test("GET /openapi.json documents the system routes with the version", async () => {
  const { app } = demoApp();
  const doc = await (await app.request("/openapi.json")).json();
  assertEquals([doc.openapi, doc.info.title, doc.info.version], [
    "3.1.0",
    "Demo API",
    "v1.6",
  ]);
  for (
    const path of [
      "/healthz",
      "/readyz",
      "/metrics",
      "/admin/version/",
      "/items/{id}/",
    ]
  ) {
    assertOk(doc.paths[path], `missing ${path}`);
  }
});

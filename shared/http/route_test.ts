import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { assertEquals } from "@thoughts/testing";
import { defineRoute } from "./route.ts";

// An app with one route whose query schema counts its parses.
function countingApp() {
  const parses = { count: 0 };
  const app = new OpenAPIHono({
    strict: false,
    defaultHook: (result, c) =>
      result.success ? undefined : c.json({ refused: result.target }, 400),
  });
  const query = z.object({
    n: z.coerce.number().int().min(1).default(1),
    tag: z.string().optional(),
  }).transform((value) => (parses.count++, value));
  defineRoute(
    app,
    createRoute({
      method: "get",
      path: "/items/{id}/",
      request: {
        query,
        params: z.object({ id: z.coerce.number().int().positive() }),
      },
      responses: { 200: { description: "The input as validated" } },
    }),
    (c) => c.json({ ...c.req.valid("param"), ...c.req.valid("query") }, 200),
  );
  return { app, parses };
}

Deno.test("defineRoute() answers both slash forms and documents the route once, as declared", async () => {
  const { app } = countingApp();
  for (const path of ["/items/7/?n=3&tag=a", "/items/7?n=3&tag=a"]) {
    const res = await app.request(path);
    assertEquals(await res.json(), { id: 7, n: 3, tag: "a" });
  }
  const doc = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "T", version: "1" },
  });
  assertEquals(Object.keys(doc.paths ?? {}), ["/items/{id}/"]);
});

Deno.test("defineRoute() validates every request with the route's schemas", async () => {
  const { app, parses } = countingApp();
  for (let i = 0; i < 3; i++) {
    const res = await app.request("/items/7/?n=3");
    assertEquals(await res.json(), { id: 7, n: 3 });
  }
  assertEquals(parses.count, 3);
});

Deno.test("defineRoute() refuses bad input every time, also after good input", async (t) => {
  const { app } = countingApp();
  await app.request("/items/7/?n=3");
  for (
    const [name, path, target] of [
      ["bad query", "/items/7/?n=0", "query"],
      ["repeated name", "/items/7/?n=3&n=4", "query"],
      ["bad id", "/items/x/?n=3", "param"],
      ["bad id, without the slash", "/items/0?n=3", "param"],
    ]
  ) {
    await t.step(name!, async () => {
      for (let i = 0; i < 2; i++) {
        const res = await app.request(path!);
        assertEquals(res.status, 400);
        assertEquals(await res.json(), { refused: target });
      }
    });
  }
});

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { assertEquals } from "../testing.ts";
import { defineRoute } from "./route.ts";

// An app whose query schema counts its parses.
function countingApp() {
  const parses = { count: 0 };
  const app = new OpenAPIHono({
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

Deno.test("defineRoute() parses a repeated query once and answers it the same", async () => {
  const { app, parses } = countingApp();
  for (let i = 0; i < 3; i++) {
    const res = await app.request("/items/7/?n=3&tag=a");
    assertEquals(await res.json(), { id: 7, n: 3, tag: "a" });
  }
  assertEquals(parses.count, 1);
  const other = await app.request("/items/7/?n=4");
  assertEquals(await other.json(), { id: 7, n: 4 });
  assertEquals(parses.count, 2);
  // A long query is parsed every time rather than kept.
  const tag = "t".repeat(600);
  for (let i = 0; i < 2; i++) {
    const res = await app.request(`/items/7/?n=5&tag=${tag}`);
    assertEquals(await res.json(), { id: 7, n: 5, tag });
  }
  assertEquals(parses.count, 4);
});

Deno.test("defineRoute() refuses bad input every time, also after good input", async (t) => {
  const { app } = countingApp();
  await app.request("/items/7/?n=3");
  for (
    const [name, path, target] of [
      ["bad query", "/items/7/?n=0", "query"],
      ["repeated name", "/items/7/?n=3&n=4", "query"],
      ["bad id", "/items/x/?n=3", "param"],
      ["bad id, slash twin", "/items/0?n=3", "param"],
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

Deno.test("defineRoute() keeps answering right past its store of parsed queries", async () => {
  const { app, parses } = countingApp();
  for (let n = 1; n <= 300; n++) {
    const res = await app.request(`/items/1/?n=${n}`);
    assertEquals((await res.json()).n, n);
  }
  const first = await app.request("/items/1/?n=1");
  assertEquals(await first.json(), { id: 1, n: 1 });
  // The oldest entries made room for newer ones, so n=1 was parsed again.
  assertEquals(parses.count, 301);
});

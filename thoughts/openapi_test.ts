import { signToken } from "@thoughts/shared/auth";
import {
  asAdmin,
  assertEquals,
  checkDocsPage,
  checkDocumentedResponses,
  checkOpenApi,
  loadTestKeys,
  type ResponseSample,
} from "@thoughts/testing";
import { routes } from "./app.ts";
import { testThoughtsApp } from "./testing.ts";

const keys = await loadTestKeys(true);

const setup = () =>
  testThoughtsApp({ keys: () => keys, now: () => new Date() });

Deno.test("GET /openapi.json documents exactly the served routes, with bearer and admin-token security", async () => {
  await using s = await setup();
  const doc = await checkOpenApi(s.app, "Thoughts Backend API");
  assertEquals(doc.info.version, "v1.6");
  const paths = doc.paths ?? {};
  assertEquals(paths["/api/me/thoughts/"]?.get?.security, [{ bearer: [] }]);
  assertEquals(paths["/api/me/thoughts/"]?.post?.security, [{ bearer: [] }]);
  assertEquals(paths["/api/thoughts/"]?.get?.security, undefined);
  const params = paths["/api/thoughts/{id}/"]?.get?.parameters ?? [];
  assertEquals(
    params.map((p) => "in" in p ? `${p.in}:${p.name}` : p.$ref),
    ["path:id"],
  );
  const remove = paths["/admin/thoughts/{id}/"]?.delete;
  assertEquals(Object.keys(remove?.responses ?? {}).sort(), [
    "204",
    "400",
    "403",
  ]);
  assertEquals(remove?.security, [{ adminToken: [] }]);
  assertEquals(doc.components?.securitySchemes?.adminToken, {
    type: "apiKey",
    in: "header",
    name: "X-Admin-Token",
  });
});

Deno.test("sample responses match their documented schemas", async (t) => {
  await using s = await setup();
  const token = await signToken(keys, "ada", { lifetime: 60, now: new Date() });
  const auth = { Authorization: `Bearer ${token}` };
  const samples: ResponseSample[] = [
    ["post", routes.post, "/api/me/thoughts/", {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ text: "hello" }),
    }, 201],
    [
      "post without token",
      routes.post,
      "/api/me/thoughts/",
      { method: "POST" },
      401,
    ],
    ["mine", routes.mine, "/api/me/thoughts/", { headers: auth }, 200],
    ["list", routes.list, "/api/thoughts/?search=HELLO", {}, 200],
    ["bad list query", routes.list, "/api/thoughts/?limit=0", {}, 400],
    ["get", routes.get, "/api/thoughts/1/", {}, 200],
    ["get absent", routes.get, "/api/thoughts/2/", {}, 404],
  ];
  await checkDocumentedResponses(t, s.app, samples);
  assertEquals(
    (await s.app.request(
      "/admin/thoughts/1/",
      asAdmin({ method: "DELETE" }),
    )).status,
    204,
  );
});

Deno.test("GET /docs/ loads with every asset served by the service", async () => {
  await using s = await setup();
  await checkDocsPage(s.app, "Thoughts Backend API");
});

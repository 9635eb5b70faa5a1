import {
  asAdmin,
  assertEquals,
  checkDocsPage,
  checkDocumentedResponses,
  checkOpenApi,
  type ResponseSample,
} from "@thoughts/testing";
import { routes } from "./app.ts";
import { testUsersApp } from "./testing.ts";

const setup = () =>
  testUsersApp({
    info: {
      service: "users",
      version: "v2.3-5-gabcdef0",
      commit: "e".repeat(40),
      source: "stamped",
      requires: {},
    },
  });

Deno.test("GET /openapi.json documents exactly the served routes, at the stamped version", async () => {
  await using s = await setup();
  const doc = await checkOpenApi(s.app, "Users Backend API");
  assertEquals(doc.info.version, "v2.3-5-gabcdef0");
  assertEquals(doc.components?.securitySchemes?.bearer, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  const paths = doc.paths ?? {};
  assertEquals(paths["/admin/users/"]?.post?.security, [{ adminToken: [] }]);
  const login = paths["/api/login/"]?.post;
  const body = login?.requestBody;
  assertEquals(
    Object.keys(body && "content" in body ? body.content : {}).sort(),
    [
      "application/json",
      "application/x-www-form-urlencoded",
    ],
  );
  assertEquals(Object.keys(login?.responses ?? {}).sort(), [
    "200",
    "400",
    "401",
    "429",
    "503",
  ]);
  const refused = login?.responses?.["401"];
  const schema = refused?.content?.["application/json"]?.schema;
  assertEquals(
    schema && "$ref" in schema ? schema.$ref : schema,
    "#/components/schemas/Error",
  );
});

Deno.test("sample responses match their documented schemas", async (t) => {
  await using s = await setup();
  const json = (body: unknown) => ({
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const samples: ResponseSample[] = [
    [
      "create",
      routes.createUser,
      "/admin/users/",
      asAdmin(json({ username: "ada", password: "correct horse" })),
      201,
    ],
    [
      "duplicate",
      routes.createUser,
      "/admin/users/",
      asAdmin(json({ username: "ada", password: "correct horse" })),
      409,
    ],
    [
      "invalid",
      routes.createUser,
      "/admin/users/",
      asAdmin(json({ username: "" })),
      400,
    ],
    [
      "no admin token",
      routes.createUser,
      "/admin/users/",
      json({ username: "bob", password: "correct horse" }),
      403,
    ],
    [
      "login",
      routes.login,
      "/api/login/",
      json({ username: "ada", password: "correct horse" }),
      200,
    ],
    [
      "wrong login",
      routes.login,
      "/api/login/",
      json({ username: "ada", password: "nope" }),
      401,
    ],
    ["jwks", routes.jwks, "/.well-known/jwks.json", {}, 200],
  ];
  await checkDocumentedResponses(t, s.app, samples);
});

Deno.test("GET /docs/ loads with every asset served by the service", async () => {
  await using s = await setup();
  const assets = await checkDocsPage(s.app, "Users Backend API");
  assertEquals(assets, [
    "swagger-ui.css",
    "swagger-ui-bundle.js",
    "docs-init.js",
  ]);
});

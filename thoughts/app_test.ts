import { SignJWT, UnsecuredJWT } from "jose";
import { signToken } from "@thoughts/shared/auth";
import {
  asAdmin,
  assertEquals,
  assertOk,
  assertStringIncludes,
  checkBuildInfoMetric,
  freshSigningKeys,
  loadTestKeys,
  openTestDatabase,
  testKeyPems,
} from "@thoughts/testing";
import { StoreError } from "@thoughts/shared/store";
import { createThoughtsStore } from "./store.ts";
import { testThoughtsApp } from "./testing.ts";

const signer = await loadTestKeys(true);
const { publicPem } = await testKeyPems();
const info = {
  service: "thoughts",
  version: "v1.6",
  commit: "d".repeat(40),
  source: "stamped",
  requires: {},
} as const;
const now = new Date("2026-11-25T12:00:00.000Z");
const seconds = now.getTime() / 1000;

async function setup() {
  const t = await testThoughtsApp();
  const post = async (username: string, text: string) =>
    await t.app.request("/api/me/thoughts/", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${await token(username)}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ text }),
    });
  return { ...t, post };
}

const token = (username: string) =>
  signToken(signer, username, { lifetime: 3600, now });

Deno.test("POST /api/me/thoughts/ stores a thought as the token's user", async (t) => {
  await using s = await setup();
  await t.step("JSON", async () => {
    const res = await s.post("ada", "  Hello, world  ");
    assertEquals(res.status, 201);
    assertEquals(await res.json(), {
      id: 1,
      username: "ada",
      text: "Hello, world",
      timestamp: now.toISOString(),
    });
  });
  await t.step("form, and a username in the body is ignored", async () => {
    const res = await s.app.request("/api/me/thoughts", {
      method: "POST",
      headers: { Authorization: `Bearer ${await token("bob")}` },
      body: new URLSearchParams({ text: "From a form", username: "mallory" }),
    });
    assertEquals(res.status, 201);
    assertEquals((await res.json()).username, "bob");
  });
  await t.step("GET /api/me/thoughts/ lists only the caller's", async () => {
    const res = await s.app.request("/api/me/thoughts/", {
      headers: { Authorization: `Bearer ${await token("ada")}` },
    });
    assertEquals((await res.json()).map((x: { text: string }) => x.text), [
      "Hello, world",
    ]);
  });
});

Deno.test("the my-thoughts routes answer 401 to every bad token", async (t) => {
  await using s = await setup();
  const otherKeys = await freshSigningKeys();
  const kid = signer.signer!.kid;
  const claims = (payload: Record<string, unknown>) =>
    new SignJWT(payload).setIssuedAt(seconds).setExpirationTime(seconds + 60);
  const headers: [string, () => Promise<string | undefined>][] = [
    ["missing header", () => Promise.resolve(undefined)],
    ["malformed header", () => Promise.resolve("Token abc")],
    ["not a JWT", () => Promise.resolve("Bearer abc.def.ghi")],
    [
      "bad signature",
      async () =>
        `Bearer ${await claims({ username: "ada" }).setProtectedHeader({
          alg: "RS256",
          kid,
        }).sign(otherKeys.signer!.key)}`,
    ],
    [
      "unknown kid",
      async () =>
        `Bearer ${await signToken(otherKeys, "ada", { lifetime: 60, now })}`,
    ],
    [
      "alg none",
      () =>
        Promise.resolve(
          `Bearer ${
            new UnsecuredJWT({ username: "ada" }).setIssuedAt(seconds)
              .setExpirationTime(seconds + 60).encode()
          }`,
        ),
    ],
    [
      "HS256 confusion",
      async () =>
        `Bearer ${await claims({ username: "ada" }).setProtectedHeader({
          alg: "HS256",
          kid,
        }).sign(new TextEncoder().encode(publicPem))}`,
    ],
    [
      "expired",
      async () =>
        `Bearer ${await signToken(signer, "ada", {
          lifetime: 60,
          now: new Date(now.getTime() - 3_600_000),
        })}`,
    ],
    [
      "no username",
      async () =>
        `Bearer ${await claims({}).setProtectedHeader({ alg: "RS256", kid })
          .sign(signer.signer!.key)}`,
    ],
  ];
  for (const [name, make] of headers) {
    await t.step(name, async () => {
      const authorization = await make();
      const init = (method: string) => ({
        method,
        headers: {
          ...(authorization && { Authorization: authorization }),
          "Content-Type": "application/json",
        },
        ...(method === "POST" && { body: JSON.stringify({ text: "sneaky" }) }),
      });
      for (const method of ["GET", "POST"]) {
        const res = await s.app.request("/api/me/thoughts/", init(method));
        assertEquals(res.status, 401);
        assertEquals((await res.json()).error.code, "unauthorized");
        assertOk(res.headers.get("WWW-Authenticate")?.startsWith("Bearer"));
      }
    });
  }
  assertEquals(await s.count(), 0);
});

Deno.test("GET /api/thoughts/ searches case-insensitively and literally", async (t) => {
  await using s = await setup();
  const texts = [
    "Hello World",
    "HELLO there",
    "100% sure",
    "1000 sure",
    "snake_case",
    "snakeXcase",
    "back\\slash",
    "plain",
  ];
  for (const text of texts) await s.post("ada", text);
  const search = async (q: string) => {
    const res = await s.app.request(
      `/api/thoughts/?order=asc&search=${encodeURIComponent(q)}`,
    );
    assertEquals(res.status, 200);
    return (await res.json()).map((x: { text: string }) => x.text);
  };
  const cases: [string, string[]][] = [
    ["hello", ["Hello World", "HELLO there"]],
    ["WORLD", ["Hello World"]],
    ["100%", ["100% sure"]],
    ["snake_", ["snake_case"]],
    ["back\\", ["back\\slash"]],
    ["'; DROP TABLE thoughts; --", []],
    ["", texts],
  ];
  for (const [q, expected] of cases) {
    await t.step(
      JSON.stringify(q),
      async () => assertEquals(await search(q), expected),
    );
  }
  await t.step(
    "a search without 3 letters or digits in a row is a clear 400",
    async () => {
      for (const q of ["%", "_", "\\", "t", "a_b", "😀😀😀", "%%%"]) {
        const res = await s.app.request(
          `/api/thoughts/?search=${encodeURIComponent(q)}`,
        );
        assertEquals(res.status, 400, q);
        assertStringIncludes(
          (await res.json()).error.message,
          "A search needs at least 3 letters or digits in a row",
        );
      }
    },
  );
  await t.step("all, ordered by id, with limit and offset", async () => {
    const res = await s.app.request("/api/thoughts?order=asc&limit=2&offset=1");
    assertEquals((await res.json()).map((x: { id: number }) => x.id), [2, 3]);
  });
  await t.step("bad bounds are 400", async () => {
    for (
      const q of [
        "limit=0",
        "limit=501",
        "offset=-1",
        "limit=abc",
        "limit=0x10",
        "limit=1e1",
        "offset=+1",
        `search=${"x".repeat(201)}`,
      ]
    ) {
      assertEquals((await s.app.request(`/api/thoughts/?${q}`)).status, 400, q);
    }
  });
});

Deno.test("the list routes combine search, user, limit and offset", async (t) => {
  await using s = await setup();
  for (
    const [username, text] of [
      ["ada", "ada one"],
      ["bob", "bob two"],
      ["ada", "ada Two"],
      ["bob", "bob three"],
      ["ada", "ada three"],
    ]
  ) assertEquals((await s.post(username!, text!)).status, 201);
  const cases: [string, string, string[]][] = [
    ["everyone's", "/api/thoughts/?order=asc&limit=2&offset=1", [
      "bob two",
      "ada Two",
    ]],
    ["everyone's, searched", "/api/thoughts/?order=asc&search=TWO", [
      "bob two",
      "ada Two",
    ]],
    ["mine", "/api/me/thoughts/?order=asc&offset=1", ["ada Two", "ada three"]],
    ["mine, newest first", "/api/me/thoughts/", [
      "ada three",
      "ada Two",
      "ada one",
    ]],
    [
      "mine, searched",
      "/api/me/thoughts/?order=asc&search=ADA&limit=1&offset=1",
      ["ada Two"],
    ],
    ["mine, searched, none", "/api/me/thoughts/?search=bob", []],
  ];
  for (const [name, url, expected] of cases) {
    await t.step(name, async () => {
      const res = await s.app.request(url, {
        headers: { Authorization: `Bearer ${await token("ada")}` },
      });
      assertEquals(res.status, 200);
      assertEquals(
        (await res.json()).map((x: { text: string }) => x.text),
        expected,
      );
    });
  }
});

Deno.test("GET /api/thoughts/{id}/ answers the thought, 404 or 400", async (t) => {
  await using s = await setup();
  await s.post("ada", "<script>alert('x')</script>");
  await t.step(
    "a stored script is returned verbatim as JSON data",
    async () => {
      const res = await s.app.request("/api/thoughts/1/");
      assertEquals(res.headers.get("content-type"), "application/json");
      assertEquals((await res.json()).text, "<script>alert('x')</script>");
    },
  );
  await t.step("absent is 404", async () => {
    const res = await s.app.request("/api/thoughts/99");
    assertEquals(res.status, 404);
    assertEquals(await res.json(), {
      error: { code: "not_found", message: "Thought not found: '99'" },
    });
  });
  // Thought 1 exists: each other spelling of 1 is refused, not served.
  for (
    const id of [
      "0",
      "-1",
      "abc",
      "1.5",
      "99999999999",
      "0x1",
      "1e0",
      "+1",
      "01",
      "%201",
      "1%20",
    ]
  ) {
    await t.step(
      `'${id}' is 400`,
      async () =>
        assertEquals((await s.app.request(`/api/thoughts/${id}/`)).status, 400),
    );
  }
  await t.step("path traversal does not reach a route", async () => {
    assertEquals(
      (await s.app.request("/api/thoughts/..%2F..%2Fadmin/")).status,
      400,
    );
    assertEquals(
      (await s.app.request("/api/thoughts/1/../../admin/thoughts/1/")).status,
      404,
    );
  });
});

Deno.test("POST /api/me/thoughts/ keeps text within 1–280 characters", async (t) => {
  await using s = await setup();
  const cases: [string, number][] = [
    ["", 400],
    ["   ", 400],
    ["x".repeat(281), 400],
    ["x".repeat(280), 201],
    ["é", 201],
  ];
  for (const [text, status] of cases) {
    await t.step(
      `${text.length} chars`,
      async () => assertEquals((await s.post("ada", text)).status, status),
    );
  }
  const noBody = await s.app.request("/api/me/thoughts/", {
    method: "POST",
    headers: { Authorization: `Bearer ${await token("ada")}` },
  });
  assertEquals(noBody.status, 400);
  assertEquals(await s.count(), 2);
});

Deno.test("DELETE /admin/thoughts/{id}/ answers 204, also when already gone", async () => {
  await using s = await setup();
  await s.post("ada", "bye");
  for (let i = 0; i < 2; i++) {
    const res = await s.app.request(
      "/admin/thoughts/1/",
      asAdmin({ method: "DELETE" }),
    );
    assertEquals(res.status, 204);
  }
  assertEquals(await s.count(), 0);
});

Deno.test("DELETE /admin/thoughts/{id}/ answers 403 without the admin token and keeps the thought", async () => {
  await using s = await setup();
  await s.post("ada", "mine");
  const refused: Record<string, string>[] = [
    {},
    { "X-Admin-Token": "guess" },
    { Authorization: `Bearer ${await token("ada")}` },
  ];
  for (const headers of refused) {
    const res = await s.app.request("/admin/thoughts/1/", {
      method: "DELETE",
      headers,
    });
    assertEquals(res.status, 403);
    assertEquals((await res.json()).error.code, "forbidden");
  }
  assertEquals(await s.count(), 1);
});

Deno.test("GET /metrics labels routes by pattern and agrees with /admin/version/", async () => {
  await using s = await setup();
  await s.post("ada", "one");
  for (const id of [1, 2, 3]) await s.app.request(`/api/thoughts/${id}/`);
  const metrics = await checkBuildInfoMetric(s.app);
  assertStringIncludes(
    metrics,
    'http_requests_total{method="GET",route="/api/thoughts/:id",status="200"} 1',
  );
  assertStringIncludes(
    metrics,
    'http_requests_total{method="GET",route="/api/thoughts/:id",status="404"} 2',
  );
  assertStringIncludes(
    metrics,
    'http_request_duration_seconds_count{method="POST",route="/api/me/thoughts",status="201"} 1',
  );
  assertOk(!metrics.includes("/api/thoughts/1"), "no raw ids in labels");
});

Deno.test("system routes report version, keys and readiness", async () => {
  await using s = await setup();
  assertEquals(await (await s.app.request("/admin/version")).json(), {
    ...info,
    runtime: `deno ${Deno.version.deno}`,
    kids: [signer.signer!.kid],
  });
  assertEquals((await s.app.request("/readyz/")).status, 200);
  assertEquals((await s.app.request("/healthz")).status, 200);
});

Deno.test("pages walk every thought exactly once by their Link headers, newest first or oldest first, while new ones arrive", async (t) => {
  await using s = await setup();
  for (let i = 1; i <= 23; i++) {
    await s.post(i % 2 ? "ada" : "bob", `thought ${i}`);
  }
  const walk = async (start: string, rel: "next" | "prev") => {
    const seen: number[] = [];
    let url: string | undefined = start;
    let pages = 0;
    while (url) {
      const res = await s.app.request(url, {
        headers: { Authorization: `Bearer ${await token("ada")}` },
      });
      assertEquals(res.status, 200);
      seen.push(...(await res.json()).map((x: { id: number }) => x.id));
      // A post between two page loads must not shift or repeat anything.
      if (pages++ === 0) await s.post("ada", "arrived meanwhile");
      url = new RegExp(`<([^>]+)>; rel="${rel}"`).exec(
        res.headers.get("Link") ?? "",
      )?.[1];
    }
    return { seen, pages };
  };
  await t.step("newest first, by next", async () => {
    const { seen, pages } = await walk("/api/thoughts/?limit=5", "next");
    assertEquals(seen, Array.from({ length: 23 }, (_, i) => 23 - i));
    assertEquals(pages, 5);
  });
  await t.step("oldest first, by next, to the newest", async () => {
    const { seen } = await walk("/api/thoughts/?order=asc&limit=7", "next");
    assertEquals(seen, Array.from({ length: seen.length }, (_, i) => i + 1));
    assertOk(seen.length >= 24, "includes what arrived before the last page");
  });
  await t.step("back again by prev", async () => {
    const { seen } = await walk("/api/thoughts/?limit=4&before=9", "prev");
    assertEquals(seen.slice(0, 8), [8, 7, 6, 5, 12, 11, 10, 9]);
  });
  await t.step("my own, searched, by next", async () => {
    const { seen } = await walk(
      "/api/me/thoughts/?search=THOUGHT&limit=3",
      "next",
    );
    assertEquals(seen, [23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1]);
  });
  await t.step("the last page has no next", async () => {
    const res = await s.app.request("/api/thoughts/?before=3&limit=5");
    assertEquals((await res.json()).map((x: { id: number }) => x.id), [2, 1]);
    assertEquals(
      res.headers.get("Link"),
      '</api/thoughts/?limit=5&after=2>; rel="prev"',
    );
  });
  await t.step("both cursors at once are refused", async () => {
    const res = await s.app.request("/api/thoughts/?before=3&after=1");
    assertEquals(res.status, 400);
  });
});

Deno.test("searches beyond the bound are refused at once with 503 and Retry-After; one that runs out of time says so", async () => {
  // A real store, its searches held or timed out on demand.
  await using db = await openTestDatabase();
  const real = await createThoughtsStore(db);
  const { promise: held, resolve: release } = Promise.withResolvers<void>();
  let slow = true;
  await using t = await testThoughtsApp({
    store: {
      ...real,
      list: async (options) => {
        if (!options.search) return await real.list(options);
        if (!slow) {
          throw new StoreError("timeout", "Database query took too long");
        }
        await held;
        return await real.list(options);
      },
    },
    searchConcurrency: 1,
    searchQueue: 1,
  });
  const app = t.app;
  const search = () => app.request("/api/thoughts/?search=tea");
  const running = [search(), search()];
  await new Promise((r) => setTimeout(r, 50));
  const refused = await search();
  assertEquals([refused.status, refused.headers.get("Retry-After")], [
    503,
    "1",
  ]);
  assertEquals(
    (await refused.json()).error.message,
    "Too many searches at once; try again shortly",
  );
  // Reads that do not search are not bounded.
  assertEquals((await app.request("/api/thoughts/")).status, 200);
  release();
  assertEquals((await Promise.all(running)).map((r) => r.status), [200, 200]);
  slow = false;
  const cut = await search();
  assertEquals([cut.status, (await cut.json()).error.message], [
    503,
    "The search took too long; try more specific words",
  ]);
});

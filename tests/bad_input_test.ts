import { signToken } from "@thoughts/shared/auth";
import {
  assertEquals,
  assertOk,
  startBackends,
  startFrontend,
  testEngine,
  testRuntime,
} from "@thoughts/testing";
import {
  testBackends,
  testFrontend,
  testKeys,
} from "@thoughts/frontend/testing";

const LEAKS = [
  /\bat .*\.tsx?:\d+/,
  /PRIVATE KEY/,
  /node_modules|registry\.npmjs/,
  /PostgresError|PGlite|postgres\.js/i,
  /Deno\./,
];

/** The system under test: requests to `http://users/…`, `http://thoughts/…` and the frontend's pages. */
interface Target extends AsyncDisposable {
  backend(request: Request): Promise<Response>;
  page(path: string, init?: RequestInit): Promise<Response>;
  createUser(username: string, password: string): Promise<void>;
  counts(): Promise<{ users: number; thoughts: number }>;
}

// On Deno, the apps in process; on another runtime, its real processes.
const target = testRuntime() === "deno" ? inProcess : processes;

async function inProcess(): Promise<Target> {
  const b = await testBackends();
  const frontend = testFrontend(b);
  return {
    backend: b.fetch,
    page: async (path, init) =>
      await frontend.request(`http://localhost${path}`, init),
    createUser: b.createUser,
    counts: b.counts,
    [Symbol.asyncDispose]: () => b[Symbol.asyncDispose](),
  };
}

async function processes(): Promise<Target> {
  const b = await startBackends();
  const frontend = await startFrontend(b);
  const urls = { users: b.users.url, thoughts: b.thoughts.url };
  return {
    async backend(request) {
      const url = new URL(request.url);
      const base = urls[url.hostname as keyof typeof urls];
      return await fetch(
        new Request(`${base}${url.pathname}${url.search}`, request),
      );
    },
    async page(path, init = {}) {
      // The pages' own origin is the process's address.
      const headers = new Headers(init.headers);
      if (headers.get("Origin") === "http://localhost") {
        headers.set("Origin", frontend.url);
      }
      return await fetch(`${frontend.url}${path}`, {
        ...init,
        headers,
        redirect: "manual",
      });
    },
    createUser: b.createUser,
    counts: async () => ({
      users: await b.count("users", "users"),
      thoughts: await b.count("thoughts", "thoughts"),
    }),
    async [Symbol.asyncDispose]() {
      await frontend[Symbol.asyncDispose]();
      await b[Symbol.asyncDispose]();
    },
  };
}

Deno.test({
  name:
    `bad input to every endpoint gets a 4xx JSON error, never a 500, and changes nothing (${testRuntime()})`,
  // Another runtime's processes hold their PGlite folders: rows are counted
  // on PostgreSQL.
  ignore: testRuntime() !== "deno" && testEngine() !== "POSTGRES",
}, async (t) => {
  await using b = await target();
  await b.createUser("ada", "correct horse");
  const token = await signToken(testKeys, "ada", {
    lifetime: 3600,
    now: new Date(),
  });
  const expired = await signToken(testKeys, "ada", {
    lifetime: 60,
    now: new Date(Date.now() - 7_200_000),
  });
  await b.backend(
    new Request("http://thoughts/api/me/thoughts/", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ text: "keep me" }),
    }),
  );
  const before = await b.counts();
  const invalidUtf8 = new Uint8Array([
    0x7b,
    0x22,
    0x61,
    0x22,
    0x3a,
    0x22,
    0xff,
    0xfe,
    0x22,
    0x7d,
  ]);
  const bodies: [string, BodyInit, string][] = [
    ["malformed JSON", '{"username": "ada", ', "application/json"],
    [
      "wrong types",
      JSON.stringify({ username: ["ada"], password: { x: 1 }, text: 42 }),
      "application/json",
    ],
    ["JSON null", "null", "application/json"],
    ["JSON array", "[1,2,3]", "application/json"],
    [
      "huge body",
      JSON.stringify({
        username: "ada",
        password: "x".repeat(2_000_000),
        text: "x",
      }),
      "application/json",
    ],
    [
      "deep nesting",
      "[".repeat(100_000) + "]".repeat(100_000),
      "application/json",
    ],
    ["invalid UTF-8", invalidUtf8, "application/json"],
    [
      "NUL and control characters in text",
      JSON.stringify({
        username: "ada\u0000",
        password: "correct horse\u0000",
        text: "a\u0000b\u0007",
      }),
      "application/json",
    ],
    ["unknown content type", "<xml/>", "application/xml"],
    [
      "SQL metacharacters",
      JSON.stringify({
        username: "x'; DROP TABLE users;--",
        password: "p",
        text: "",
      }),
      "application/json",
    ],
  ];
  const backendPosts: [string, Record<string, string>][] = [
    ["http://users/admin/users/", {}],
    ["http://users/api/login/", {}],
    ["http://thoughts/api/me/thoughts/", { Authorization: `Bearer ${token}` }],
  ];
  const check = async (name: string, res: Response, json = true) => {
    const text = await res.text();
    assertOk(
      res.status >= 400 && res.status < 500,
      `${name}: status ${res.status}: ${text.slice(0, 200)}`,
    );
    for (const leak of LEAKS) {
      assertOk(
        !leak.test(text),
        `${name}: leaks ${leak}: ${text.slice(0, 200)}`,
      );
    }
    if (json) assertEquals(typeof JSON.parse(text).error.code, "string", name);
  };
  for (const [url, headers] of backendPosts) {
    for (const [name, body, type] of bodies) {
      await t.step(
        `POST ${new URL(url).host}${new URL(url).pathname}: ${name}`,
        async () => {
          await check(
            name,
            await b.backend(
              new Request(url, {
                method: "POST",
                headers: { ...headers, "Content-Type": type },
                body,
              }),
            ),
          );
        },
      );
    }
  }
  // Well-formed JSON whose strings end in the byte 0xFF, which is no UTF-8
  // (each character written as one byte): a lenient decoder would store
  // U+FFFD in its place.
  const strayByte = Uint8Array.from(
    JSON.stringify({
      username: "ada\u00ff",
      password: "correct horse\u00ff",
      text: "a thought\u00ff",
    }),
    (c) => c.charCodeAt(0),
  );
  for (const [url, headers] of backendPosts) {
    await t.step(
      `POST ${new URL(url).host}${
        new URL(url).pathname
      }: a stray byte in well-formed JSON is 400`,
      async () => {
        const res = await b.backend(
          new Request(url, {
            method: "POST",
            headers: { ...headers, "Content-Type": "application/json" },
            body: strayByte,
          }),
        );
        assertEquals([res.status, await res.json()], [400, {
          error: {
            code: "bad_request",
            message: "Request body is not valid UTF-8",
          },
        }]);
      },
    );
  }
  const gets: [string, string, Record<string, string>][] = [
    [
      "path traversal in an id",
      "http://thoughts/api/thoughts/..%2F..%2Fetc%2Fpasswd/",
      {},
    ],
    ["NUL in an id", "http://thoughts/api/thoughts/%00/", {}],
    ["NUL in a search", "http://thoughts/api/thoughts/?search=%00", {}],
    [
      "a control character in a search",
      "http://thoughts/api/thoughts/?search=a%07b",
      {},
    ],
    ["NUL in my search", "http://thoughts/api/me/thoughts/?search=x%00", {
      Authorization: `Bearer ${token}`,
    }],
    ["huge id", "http://thoughts/api/thoughts/99999999999999999999999/", {}],
    ["negative id delete", "http://thoughts/admin/thoughts/-1/", {}],
    [
      "oversized query string",
      `http://thoughts/api/thoughts/?search=${"x".repeat(20_000)}`,
      {},
    ],
    ["limit out of range", "http://thoughts/api/thoughts/?limit=100000", {}],
    ["forged token", "http://thoughts/api/me/thoughts/", {
      Authorization: `Bearer ${token.slice(0, -4)}AAAA`,
    }],
    ["expired token", "http://thoughts/api/me/thoughts/", {
      Authorization: `Bearer ${expired}`,
    }],
    ["huge Authorization header", "http://thoughts/api/me/thoughts/", {
      Authorization: `Bearer ${"a".repeat(16_000)}`,
    }],
    ["unknown route", "http://users/admin/../../etc/passwd", {}],
  ];
  for (const [name, url, headers] of gets) {
    await t.step(`GET ${name}`, async () => {
      const method = name.includes("delete") ? "DELETE" : "GET";
      await check(name, await b.backend(new Request(url, { method, headers })));
    });
  }
  const pages: [string, RequestInit & { path: string }][] = [
    ["login form: invalid UTF-8", {
      path: "/login/",
      method: "POST",
      body: invalidUtf8,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
      },
    }],
    ["login form: JSON instead of a form", {
      path: "/login/",
      method: "POST",
      body: "{}",
      headers: {
        "Content-Type": "application/json",
        Origin: "http://localhost",
      },
    }],
    ["login form: huge body", {
      path: "/login/",
      method: "POST",
      body: "username=" + "x".repeat(2_000_000),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
      },
    }],
    ["new thought: forged cookie", {
      path: "/thoughts/new",
      method: "POST",
      body: "text=x",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
        Cookie: `session=${token.slice(0, -4)}AAAA`,
      },
    }],
    ["new thought: cross-site", {
      path: "/thoughts/new",
      method: "POST",
      body: "text=x",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://evil.example",
        Cookie: `session=${token}`,
      },
    }],
  ];
  for (const [name, { path, ...init }] of pages) {
    await t.step(`frontend ${name}`, async () => {
      const res = await b.page(path, init);
      if (res.status === 303) {
        assertEquals(res.headers.get("location"), "/login/", name);
        return void await res.body?.cancel();
      }
      // Pages answer browsers in HTML; the JSON shape is the backends' contract.
      await check(name, res, false);
    });
  }
  await t.step(
    "frontend: an oversized search is cut, not an error",
    async () => {
      const res = await b.page(`/search?search=${"x".repeat(20_000)}`);
      assertEquals(res.status, 200);
      await res.body?.cancel();
    },
  );
  assertEquals(await b.counts(), before, "nothing was written");
});

import { memoryLogger } from "@thoughts/shared/log";
import {
  assertEquals,
  assertMatch,
  assertOk,
  assertStringIncludes,
  checkBuildInfoMetric,
  TEST_ADMIN_TOKEN,
} from "@thoughts/testing";
import { createApp, type FrontendDeps, SEARCH_MAX_LENGTH } from "./app.tsx";
import { createBackends, type Fetch } from "./backend_clients.ts";
import { dependencies } from "./dependencies.ts";
import { testBackends, testKeys } from "./testing.ts";
import type { testUsersApp } from "@thoughts/users/testing";

const info = {
  service: "frontend",
  version: "v3.7",
  commit: "f".repeat(40),
  source: "stamped",
  requires: { thoughts_backend: "v1.6", users_backend: "v2.3" },
} as const;
const ORIGIN = "http://localhost";

async function setup(
  versions?: { users: string; thoughts: string },
  users: Parameters<typeof testUsersApp>[0] = {},
  wrap: (fetch: Fetch) => Fetch = (fetch) => fetch,
  resolve?: (host: string) => Promise<string[]>,
  frontend: Partial<FrontendDeps> = {},
) {
  const b = await testBackends(versions, users);
  const app = createApp({
    backends: createBackends({
      usersUrl: b.usersUrl,
      thoughtsUrl: b.thoughtsUrl,
      fetch: wrap(b.fetch),
      timeoutMs: 300,
    }),
    keys: () => testKeys,
    dependencies: dependencies({
      THOUGHTS_BACKEND_URL: b.thoughtsUrl,
      USER_BACKEND_URL: b.usersUrl,
    }),
    info,
    logger: memoryLogger().logger,
    now: () => new Date(),
    resolve,
    adminToken: TEST_ADMIN_TOKEN,
    // Each test's views see the backends as they are now.
    versionsCacheMs: 0,
    ...frontend,
  });
  const get = (
    path: string,
    cookie?: string,
    accept = "text/html",
    headers: Record<string, string> = {},
  ) =>
    app.request(`${ORIGIN}${path}`, {
      headers: {
        Accept: accept,
        ...(cookie && { Cookie: cookie }),
        ...headers,
      },
    });
  const post = (
    path: string,
    form: Record<string, string>,
    cookie?: string,
    origin: string | null = ORIGIN,
  ) =>
    app.request(`${ORIGIN}${path}`, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: {
        Accept: "text/html",
        ...(origin && { Origin: origin }),
        ...(cookie && { Cookie: cookie }),
      },
    });
  const login = async (username = "ada", password = "correct horse") => {
    const res = await post("/login/", { username, password });
    return /session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  };
  return { ...b, app, get, post, login, backends: b };
}

Deno.test("pages that need a login redirect to /login/", async (t) => {
  await using s = await setup();
  for (const path of ["/", "/thoughts/", "/thoughts"]) {
    await t.step(path, async () => {
      const res = await s.get(path);
      assertEquals([res.status, res.headers.get("location")], [303, "/login/"]);
    });
  }
  const res = await s.post("/thoughts/new", { text: "x" });
  assertEquals([res.status, res.headers.get("location")], [303, "/login/"]);
});

Deno.test("GET /login/ renders the form; a wrong password re-renders it with 401", async () => {
  await using s = await setup();
  await s.createUser("ada", "correct horse");
  const form = await s.get("/login/");
  assertEquals(form.status, 200);
  const html = await form.text();
  assertStringIncludes(
    html,
    '<form class="card stack" method="post" action="/login/">',
  );
  assertStringIncludes(html, '<link rel="stylesheet" href="/static/style.css"');
  const wrong = await s.post("/login/", {
    username: "ada",
    password: "wrong horse",
  });
  assertEquals(wrong.status, 401);
  assertStringIncludes(await wrong.text(), "Wrong username or password");
  assertEquals(wrong.headers.get("set-cookie"), null);
});

Deno.test("POST /login/ shows the users service's throttling message, counted against the browser's address behind the ingress", async () => {
  await using s = await setup(
    undefined,
    { limits: { accountFailures: 1 }, trustedProxyHops: 1 },
    undefined,
    undefined,
    { trustedProxyHops: 1 },
  );
  await s.createUser("ada", "correct horse");
  const attempt = () =>
    s.app.request(`${ORIGIN}/login/`, {
      method: "POST",
      body: new URLSearchParams({ username: "ada", password: "wrong horse" }),
      // The ingress appended the browser's address to what it was sent.
      headers: { Origin: ORIGIN, "X-Forwarded-For": "6.6.6.6, 203.0.113.9" },
    });
  assertEquals((await attempt()).status, 401);
  const locked = await attempt();
  assertEquals(locked.status, 429);
  assertStringIncludes(
    await locked.text(),
    "Too many failed logins; try again in 30 seconds",
  );
  // Passed on alone: the frontend is the one hop users trusts.
  assertEquals(
    s.seen.at(-1)?.headers.get("X-Forwarded-For"),
    "203.0.113.9",
  );
});

Deno.test("POST /login/ keeps the device token in a cookie for the login page only, and sends it back, so strangers' failures do not lock this browser out", async () => {
  await using s = await setup(undefined, { limits: { accountFailures: 2 } });
  await s.createUser("ada", "correct horse");
  const first = await s.post("/login/", {
    username: "ada",
    password: "correct horse",
  });
  assertEquals(first.status, 303);
  const cookies = first.headers.getSetCookie();
  const device = cookies.find((c) => c.startsWith("device="));
  assertOk(device, cookies.join("\n"));
  assertStringIncludes(device, "HttpOnly");
  assertStringIncludes(device, "SameSite=Strict");
  assertStringIncludes(device, "Path=/login;");
  const maxAge = Number(/Max-Age=(\d+)/.exec(device)?.[1]);
  assertOk(maxAge > 29 * 86400 && maxAge <= 30 * 86400, `Max-Age ${maxAge}`);
  // A stranger locks the account.
  for (let i = 0; i < 3; i++) {
    await s.post("/login/", { username: "ada", password: "guess" });
  }
  const stranger = await s.post("/login/", {
    username: "ada",
    password: "correct horse",
  });
  assertEquals(stranger.status, 429);
  const owner = await s.post(
    "/login/",
    { username: "ada", password: "correct horse" },
    device.split(";")[0],
  );
  assertEquals(owner.status, 303);
  assertOk(s.seen.at(-1)?.headers.get("X-Device-Token"));
  // Logging out ends the session only: the device cookie stays.
  const out = await s.post("/logout/", {}, device.split(";")[0]);
  assertEquals(
    out.headers.getSetCookie().some((c) => c.startsWith("device=")),
    false,
  );
});

Deno.test("POST /login/ sets an HttpOnly, SameSite=Lax session cookie no longer than the token", async (t) => {
  await using s = await setup();
  await s.createUser("ada", "correct horse");
  const res = await s.post("/login/", {
    username: "ada",
    password: "correct horse",
  });
  assertEquals([res.status, res.headers.get("location")], [303, "/thoughts/"]);
  const cookie = res.headers.get("set-cookie") ?? "";
  assertMatch(cookie, /^session=[\w-]+\.[\w-]+\.[\w-]+;/);
  assertStringIncludes(cookie, "HttpOnly");
  assertStringIncludes(cookie, "SameSite=Lax");
  assertStringIncludes(cookie, "Path=/");
  const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
  assertOk(maxAge > 3500 && maxAge <= 3600, `Max-Age ${maxAge}`);
  assertOk(!cookie.includes("Secure"));
  await t.step("Secure when served over https", async () => {
    const https = await s.app.request(`${ORIGIN}/login/`, {
      method: "POST",
      body: new URLSearchParams({ username: "ada", password: "correct horse" }),
      headers: { Origin: ORIGIN, "X-Forwarded-Proto": "https" },
    });
    assertStringIncludes(https.headers.get("set-cookie") ?? "", "Secure");
  });
});

Deno.test("a form post from the site itself is accepted: same Origin behind the ingress, or Sec-Fetch-Site", async (t) => {
  await using s = await setup();
  await s.createUser("ada", "correct horse");
  const cookie = (await s.login())!;
  const cases: [string, Record<string, string>][] = [
    ["Origin of the host the browser used, behind the ingress", {
      Origin: "https://thoughts.example.local",
      "X-Forwarded-Host": "thoughts.example.local",
    }],
    ["Sec-Fetch-Site: same-origin, no Origin", {
      "Sec-Fetch-Site": "same-origin",
    }],
  ];
  for (const [name, headers] of cases) {
    await t.step(name, async () => {
      const res = await s.app.request(`${ORIGIN}/thoughts/new`, {
        method: "POST",
        body: new URLSearchParams({ text: name }),
        headers: { Accept: "text/html", Cookie: cookie, ...headers },
      });
      assertEquals(res.status, 303);
    });
  }
  await t.step("another site behind the ingress is refused", async () => {
    const res = await s.app.request(`${ORIGIN}/thoughts/new`, {
      method: "POST",
      body: new URLSearchParams({ text: "forged" }),
      headers: {
        Cookie: cookie,
        Origin: "https://evil.example",
        "X-Forwarded-Host": "thoughts.example.local",
        "Sec-Fetch-Site": "cross-site",
      },
    });
    assertEquals(res.status, 403);
  });
  const mine = await (await s.get("/thoughts/", cookie)).text();
  for (const [name] of cases) assertStringIncludes(mine, name);
  assertOk(!mine.includes("forged"));
});

Deno.test("every page answers with and without its trailing slash", async (t) => {
  await using s = await setup();
  await s.createUser("ada", "correct horse");
  const cookie = await s.login();
  for (
    const [path, status] of [
      ["/login/", 200],
      ["/login", 200],
      ["/thoughts/", 200],
      ["/thoughts", 200],
      ["/admin/versions/", 200],
      ["/admin/versions", 200],
      ["/logout/", 200],
      ["/logout", 200],
    ] as const
  ) {
    await t.step(path, async () => {
      const res = await s.get(path, cookie);
      await res.body?.cancel();
      assertEquals(res.status, status);
    });
  }
});

Deno.test("only a form post logs out: a link or a page of another site cannot end the session", async () => {
  await using s = await setup();
  await s.createUser("ada", "correct horse");
  const cookie = (await s.login())!;
  const asked = await s.get("/logout/", cookie);
  assertEquals(asked.status, 200);
  assertEquals(asked.headers.get("set-cookie"), null);
  assertStringIncludes(await asked.text(), 'method="post" action="/logout/"');
  const forged = await s.post("/logout/", {}, cookie, "http://evil.example");
  assertEquals(forged.status, 403);
  assertEquals(forged.headers.get("set-cookie"), null);
  assertEquals((await s.get("/thoughts/", cookie)).status, 200);
  const real = await s.post("/logout/", {}, cookie);
  assertEquals([real.status, real.headers.get("location")], [303, "/login/"]);
  assertMatch(real.headers.get("set-cookie") ?? "", /^session=; Max-Age=0/);
});

Deno.test("every page carries the security headers: a CSP with no inline script, no framing, nosniff, a same-origin referrer", async (t) => {
  await using s = await setup();
  for (const path of ["/login/", "/search?search=x", "/nowhere"]) {
    await t.step(path, async () => {
      const res = await s.get(path);
      await res.body?.cancel();
      const csp = res.headers.get("content-security-policy") ?? "";
      for (
        const directive of [
          "default-src 'self'",
          "frame-ancestors 'none'",
          "form-action 'self'",
          "object-src 'none'",
        ]
      ) {
        assertStringIncludes(csp, directive);
      }
      assertOk(!csp.includes("unsafe-inline"), csp);
      assertEquals(res.headers.get("x-content-type-options"), "nosniff");
      assertEquals(res.headers.get("x-frame-options"), "SAMEORIGIN");
      assertEquals(res.headers.get("referrer-policy"), "same-origin");
    });
  }
});

Deno.test("a cross-site or origin-less form post is refused", async () => {
  await using s = await setup();
  await s.createUser("ada", "correct horse");
  const cookie = await s.login();
  for (const origin of ["http://evil.example", null, "null"]) {
    const res = await s.post(
      "/thoughts/new",
      { text: "forged" },
      cookie,
      origin,
    );
    assertEquals(res.status, 403);
    assertStringIncludes(await res.text(), "Cross-site form posts are refused");
  }
  const mine = await (await s.get("/thoughts/", cookie)).text();
  assertOk(!mine.includes("forged"));
});

Deno.test("posting, listing newest first, searching, escaping and logging out", async (t) => {
  await using s = await setup();
  await s.createUser("ada", "correct horse");
  const cookie = await s.login();
  assertOk(cookie);
  for (
    const text of [
      "first thought",
      "<script>alert('x')</script>",
      "third & last",
    ]
  ) {
    const res = await s.post("/thoughts/new", { text }, cookie);
    assertEquals([res.status, res.headers.get("location")], [
      303,
      "/thoughts/",
    ]);
  }
  await t.step("my thoughts, newest first, escaped", async () => {
    const html = await (await s.get("/thoughts/", cookie)).text();
    assertOk(!html.includes("<script>alert"));
    assertStringIncludes(
      html,
      "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
    );
    assertOk(html.indexOf("third &amp; last") < html.indexOf("first thought"));
    assertStringIncludes(html, "ada");
  });
  await t.step(
    "an empty thought re-renders the form with the backend's reason",
    async () => {
      const res = await s.post("/thoughts/new", { text: "   " }, cookie);
      assertEquals(res.status, 400);
      assertStringIncludes(await res.text(), 'role="alert"');
    },
  );
  await t.step("search is public and escaped", async () => {
    const res = await s.get(`/search?search=${encodeURIComponent("<SCRIPT>")}`);
    const html = await res.text();
    assertEquals(res.status, 200);
    assertOk(
      !html.includes("<script>alert") && !html.includes('value="<SCRIPT>"'),
    );
    assertStringIncludes(html, "&lt;script&gt;alert");
    assertOk(!html.includes("first thought"));
  });
  await t.step("logout clears the cookie", async () => {
    const res = await s.post("/logout/", {}, cookie);
    assertEquals([res.status, res.headers.get("location")], [303, "/login/"]);
    assertMatch(res.headers.get("set-cookie") ?? "", /^session=; Max-Age=0/);
  });
});

Deno.test("a forged or expired session cookie sends the browser to /login/ and clears it", async (t) => {
  await using s = await setup();
  const expired = await s.token("ada", new Date(Date.now() - 7_200_000), 3600);
  const valid = await s.token("ada");
  const [head, body] = valid.split(".");
  const forgedBody = btoa(
    JSON.stringify({ username: "root", iat: 1, exp: 9999999999 }),
  ).replace(/=+$/, "");
  const cases: [string, string][] = [
    ["expired", expired],
    ["tampered claims", `${head}.${forgedBody}.${valid.split(".")[2]}`],
    ["garbage", "not-a-token"],
    ["alg none", `${btoa('{"alg":"none"}').replace(/=+$/, "")}.${body}.`],
  ];
  for (const [name, token] of cases) {
    await t.step(name, async () => {
      const res = await s.get("/thoughts/", `session=${token}`);
      assertEquals([res.status, res.headers.get("location")], [303, "/login/"]);
      assertMatch(res.headers.get("set-cookie") ?? "", /^session=; Max-Age=0/);
    });
  }
});

Deno.test("a failing backend gives a readable error page, never a stack trace", async (t) => {
  await using s = await setup();
  const cases: ["down" | "error" | "hang", number, string][] = [
    ["down", 503, "The thoughts service is unavailable"],
    ["error", 502, "The thoughts service failed"],
    ["hang", 503, "The thoughts service is unavailable"],
  ];
  for (const [fault, status, message] of cases) {
    await t.step(fault, async () => {
      s.faults.thoughts = fault;
      const res = await s.get("/search?search=x");
      assertEquals(res.status, status);
      const html = await res.text();
      assertStringIncludes(html, message);
      assertOk(
        !html.includes("boom at line") && !html.includes(" at "),
        "no internals",
      );
      const json = await s.get(
        "/search?search=x",
        undefined,
        "application/json",
      );
      assertEquals((await json.json()).error.message, message);
    });
  }
  await t.step(
    "a dropped connection: a GET once more, a POST not",
    async () => {
      s.faults.thoughts = "reset-once";
      const before = s.seen.length;
      assertEquals((await s.get("/search?search=x")).status, 200);
      assertEquals(s.seen.length - before, 2);
      s.faults.thoughts = "hang";
      const beforeHang = s.seen.length;
      assertEquals((await s.get("/search?search=x")).status, 503);
      assertEquals(s.seen.length - beforeHang, 1, "a timeout is not repeated");
      await s.createUser("ada", "correct horse");
      const cookie = await s.login("ada");
      s.faults.thoughts = "reset-once";
      const posted = await s.post("/thoughts/new", { text: "Once" }, cookie);
      assertEquals(posted.status, 503);
      assertEquals((await s.counts()).thoughts, 0);
    },
  );
  s.faults.thoughts = "down";
  assertEquals(
    (await s.get("/readyz", undefined, "application/json")).status,
    503,
  );
  s.faults.thoughts = undefined;
  assertEquals(
    (await s.get("/readyz", undefined, "application/json")).status,
    200,
  );
});

Deno.test("GET /admin/versions/ shows every service and whether each minimum holds", async (t) => {
  await using s = await setup({ users: "v2.3-4-gabcdef0", thoughts: "v1.5" });
  const admin = { "X-Admin-Token": TEST_ADMIN_TOKEN };
  await t.step("JSON, for the admin", async () => {
    const { services, edges, warnings } = await (await s.get(
      "/admin/versions/",
      undefined,
      "application/json",
      admin,
    ))
      .json();
    assertEquals(services.map((x: { service: string }) => x.service), [
      "frontend",
      "thoughts_backend",
      "users_backend",
    ]);
    assertEquals(services[0].version, "v3.7");
    assertEquals([
      services[1].version,
      services[1].minimum,
      services[1].satisfied,
    ], ["v1.5", "v1.6", false]);
    assertEquals([
      services[2].version,
      services[2].satisfied,
      services[2].commit,
    ], ["v2.3-4-gabcdef0", true, "a".repeat(40)]);
    // The graph: the frontend's two requirements, and thoughts' own.
    assertEquals(
      edges.map((e: Record<string, unknown>) =>
        `${e.from} ${e.fromVersion} -> ${e.to} ${e.minimum} (${e.running}): ${e.holds}`
      ),
      [
        "frontend v3.7 -> thoughts_backend v1.6 (v1.5): false",
        "frontend v3.7 -> users_backend v2.3 (v2.3-4-gabcdef0): true",
        "thoughts_backend v1.5 -> users_backend v2.3 (v2.3-4-gabcdef0): true",
      ],
    );
    assertEquals(warnings, [
      "frontend v3.7 requires thoughts ≥ v1.6, but thoughts runs v1.5",
    ]);
  });
  await t.step(
    "anonymous: versions, health and the graph, no URL, replica name or commit",
    async () => {
      const res = await s.get(
        "/admin/versions/",
        undefined,
        "application/json",
      );
      const text = await res.text();
      for (
        const secret of ["http://", "a".repeat(40), "b".repeat(40), "instances"]
      ) {
        assertOk(!text.includes(secret), `shows '${secret}': ${text}`);
      }
      const { services, edges, warnings } = JSON.parse(text);
      assertEquals(
        services.map((
          x: { versions: { version: string; replicas: number }[] },
        ) => x.versions.map((v) => `${v.version} ×${v.replicas}`).join()),
        ["v3.7 ×1", "v1.5 ×1", "v2.3-4-gabcdef0 ×1"],
      );
      assertEquals(edges.length, 3);
      assertEquals(warnings, [
        "frontend v3.7 requires thoughts ≥ v1.6, but thoughts runs v1.5",
      ]);
      const html = await (await s.get("/admin/versions/")).text();
      assertOk(!html.includes("aaaaaaa"), "no commit on the page");
      assertStringIncludes(html, "not met on 1 of 1");
    },
  );
  await t.step(
    "a wrong admin token is refused, not taken for anonymous",
    async () => {
      const res = await s.get(
        "/admin/versions/",
        undefined,
        "application/json",
        {
          "X-Admin-Token": "guess",
        },
      );
      assertEquals(res.status, 403);
      await res.body?.cancel();
    },
  );
  await t.step(
    "HTML for the admin, with short commits and the full SHA",
    async () => {
      const html =
        await (await s.get("/admin/versions", undefined, "text/html", admin))
          .text();
      assertStringIncludes(
        html,
        `<code title="${"a".repeat(40)}">aaaaaaa</code>`,
      );
      assertStringIncludes(
        html,
        "frontend v3.7 requires thoughts ≥ v1.6, but thoughts runs v1.5",
      );
      assertStringIncludes(html, "not met on 1 of 1");
    },
  );
  await t.step(
    "an unreachable backend is shown as such, its reason to the admin only",
    async () => {
      s.faults.users = "down";
      const view = async (headers = {}) =>
        await (await s.get(
          "/admin/versions/",
          undefined,
          "application/json",
          headers,
        ))
          .json();
      const { services, warnings } = await view();
      assertEquals([services[2].reachable, services[2].satisfied], [
        false,
        false,
      ]);
      assertEquals(warnings, [
        "frontend v3.7 requires thoughts ≥ v1.6, but thoughts runs v1.5",
        "users_backend is unreachable: no replica answered",
      ]);
      assertStringIncludes(
        (await view(admin)).warnings.join("\n"),
        "users_backend is unreachable: The users service is unavailable",
      );
    },
  );
});

// Mid-rollout: a second replica of thoughts answers with the next version,
// which needs more of users than runs.
Deno.test("GET /admin/versions/ shows each version of a backend mid-rollout and its replicas", async () => {
  let n = 0;
  await using s = await setup(undefined, {}, (fetch) => async (request) => {
    const response = await fetch(request);
    if (!request.url.startsWith("http://thoughts/admin/version/")) {
      return response;
    }
    const body = await response.json();
    return Response.json(
      n++ % 2 === 0 ? { ...body, instance: "thoughts-a-0" } : {
        ...body,
        version: "v1.7",
        instance: "thoughts-b-0",
        requires: { users_backend: "v2.4" },
      },
    );
  });
  const { services, warnings } =
    await (await s.get("/admin/versions/", undefined, "application/json", {
      "X-Admin-Token": TEST_ADMIN_TOKEN,
    })).json();
  assertEquals(
    services[1].versions.map((v: { version: string; instances: string[] }) =>
      `${v.version} ${v.instances.join(",")}`
    ),
    ["v1.6 thoughts-a-0", "v1.7 thoughts-b-0"],
  );
  assertEquals(warnings, [
    "thoughts v1.7 requires users ≥ v2.4, but users runs v2.3",
  ]);
  const html = await (await s.get("/admin/versions/")).text();
  assertStringIncludes(html, '<tr data-version="v1.7">');
  assertStringIncludes(html, "1 replica");
});

// A name with several addresses (k8s:local's aliases, a headless Service):
// each replica is asked at its own address, so none is missed.
Deno.test("GET /admin/versions/ asks each address of a backend's name once", async () => {
  const asked: string[] = [];
  await using s = await setup(
    undefined,
    {},
    (fetch) => async (request) => {
      const url = new URL(request.url);
      if (!url.hostname.startsWith("10.0.0.")) return await fetch(request);
      asked.push(url.hostname);
      url.hostname = "thoughts";
      const body = await (await fetch(new Request(url, request))).json();
      return Response.json(
        url.pathname === "/admin/version/" && request.url.includes("10.0.0.2")
          ? { ...body, version: "v1.7" }
          : body,
      );
    },
    (host) =>
      Promise.resolve(host === "thoughts" ? ["10.0.0.1", "10.0.0.2"] : []),
  );
  const { services } =
    await (await s.get("/admin/versions/", undefined, "application/json", {
      "X-Admin-Token": TEST_ADMIN_TOKEN,
    })).json();
  assertEquals(asked.sort(), ["10.0.0.1", "10.0.0.2"]);
  assertEquals(
    services[1].versions.map((v: { version: string; instances: string[] }) =>
      `${v.version} ${v.instances.join(",")}`
    ),
    ["v1.6 10.0.0.1", "v1.7 10.0.0.2"],
  );
});

Deno.test("GET /admin/versions/ asks the backends once for the views of a few seconds, the one in flight included", async () => {
  let now = new Date("2026-12-01T12:00:00Z");
  let asked = 0;
  await using s = await setup(
    undefined,
    {},
    (fetch) => (request) => {
      if (request.url.includes("/admin/version/")) asked++;
      return fetch(request);
    },
    undefined,
    { versionsCacheMs: 5000, now: () => now },
  );
  const views = () =>
    Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await s.get("/admin/versions/");
        assertEquals(res.status, 200);
        await res.body?.cancel();
      }),
    );
  await views();
  // Eight samples of each of the two backends, once for all ten views.
  assertEquals(asked, 16);
  now = new Date(now.getTime() + 4000);
  await views();
  assertEquals(asked, 16);
  now = new Date(now.getTime() + 1000);
  await views();
  assertEquals(asked, 32, "asked again after 5 s");
});

Deno.test("backend calls carry the page's request ID", async () => {
  await using s = await setup();
  await s.app.request(`${ORIGIN}/search?search=a`, {
    headers: { "X-Request-ID": "trace-42" },
  });
  assertEquals(s.seen.at(-1)?.headers.get("X-Request-ID"), "trace-42");
});

Deno.test("system routes and the stylesheet", async () => {
  await using s = await setup();
  await checkBuildInfoMetric(s.app);
  assertEquals(
    (await (await s.get("/admin/version/", undefined, "application/json"))
      .json()).version,
    "v3.7",
  );
  assertEquals(
    (await s.get("/healthz", undefined, "application/json")).status,
    200,
  );
  const css = await s.get("/static/style.css");
  assertEquals(css.headers.get("content-type"), "text/css; charset=utf-8");
  const missing = await s.get("/nope");
  assertEquals(missing.status, 404);
  assertStringIncludes(await missing.text(), "Route not found");
});

Deno.test("/thoughts/ and /search show the newest first, a page at a time, and say where the list ends", async (t) => {
  await using s = await setup();
  await s.createUser("ada", "correct horse");
  const cookie = (await s.login())!;
  for (let i = 1; i <= 25; i++) {
    await s.post("/thoughts/new", { text: `note ${i}` }, cookie);
  }
  const shown = (html: string) =>
    [...html.matchAll(/<div class="text">note (\d+)<\/div>/g)].map((m) =>
      Number(m[1])
    );
  const link = (html: string, rel: string) =>
    new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(html)?.[1]
      ?.replaceAll("&amp;", "&");
  await t.step("my thoughts: 20, then the older 5 and the end", async () => {
    const first = await (await s.get("/thoughts/", cookie)).text();
    assertEquals(shown(first), Array.from({ length: 20 }, (_, i) => 25 - i));
    assertEquals(link(first, "prev"), undefined);
    const older = link(first, "next")!;
    assertEquals(older, "/thoughts/?before=6");
    const second = await (await s.get(older, cookie)).text();
    assertEquals(shown(second), [5, 4, 3, 2, 1]);
    assertStringIncludes(second, "End of the list");
    assertEquals(link(second, "prev"), "/thoughts/?after=5");
    const back = await (await s.get(link(second, "prev")!, cookie)).text();
    assertEquals(shown(back), Array.from({ length: 20 }, (_, i) => 25 - i));
  });
  await t.step("search: the same pages, the search kept", async () => {
    const first = await (await s.get("/search?search=note", cookie)).text();
    assertEquals(shown(first).length, 20);
    const older = link(first, "next")!;
    assertEquals(older, "/search?search=note&before=6");
    assertEquals(shown(await (await s.get(older, cookie)).text()), [
      5,
      4,
      3,
      2,
      1,
    ]);
  });
  await t.step(
    "a cursor that is not a number shows the first page",
    async () => {
      const page = await (await s.get("/thoughts/?before=0x10", cookie)).text();
      assertEquals(shown(page)[0], 25);
    },
  );
});

Deno.test("a search longer than the API takes is shortened, and the page says so", async () => {
  await using s = await setup();
  const res = await s.get(`/search?search=${"x".repeat(250)}`);
  assertEquals(res.status, 200);
  const html = await res.text();
  assertStringIncludes(
    html,
    `Searches are at most ${SEARCH_MAX_LENGTH} characters: yours was shortened`,
  );
  assertEquals(
    new URL(s.seen.at(-1)!.url).searchParams.get("search")?.length,
    SEARCH_MAX_LENGTH,
  );
  // The same limit as the API's: one character more is refused there.
  const api = (length: number) =>
    s.fetch(
      new Request(
        `http://thoughts/api/thoughts/?search=${"x".repeat(length)}`,
      ),
    ).then(async (r) => (await r.body?.cancel(), r.status));
  assertEquals(
    [await api(SEARCH_MAX_LENGTH), await api(SEARCH_MAX_LENGTH + 1)],
    [200, 400],
  );
});

Deno.test("a search the API refuses as too short says why on the page", async () => {
  await using s = await setup();
  const res = await s.get("/search?search=ab");
  assertEquals(res.status, 200);
  assertStringIncludes(
    await res.text(),
    "A search needs at least 3 letters or digits in a row, such as &#39;tea&#39;",
  );
});

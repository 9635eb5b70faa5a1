import { createLocalJWKSet, importSPKI, jwtVerify } from "jose";
import {
  keyId,
  signToken,
  TokenError,
  verifyToken,
} from "@thoughts/shared/auth";
import {
  StoreError,
  toStoreError,
  watchDiskFull,
} from "@thoughts/shared/store";
import {
  asAdmin,
  assertEquals,
  assertOk,
  assertRejects,
  assertStringIncludes,
  checkBuildInfoMetric,
  freshSigningKeys,
  TEST_ADMIN_TOKEN,
  testKeyPems,
} from "@thoughts/testing";
import { DEFAULT_ITERATIONS, pbkdf2Hasher } from "./password.ts";
import { createUsersStore, type UsersStore } from "./store.ts";
import { TEST_NOW, testKeys, testUsersApp } from "./testing.ts";

const keys = testKeys;
const { publicPem } = await testKeyPems();
const now = TEST_NOW;
const info = {
  service: "users",
  version: "v2.3",
  commit: "c".repeat(40),
  source: "stamped",
  requires: {},
} as const;
const setup = testUsersApp;

const json = (body: unknown, method = "POST") => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

Deno.test("POST /admin/users/ creates an account without echoing the password", async () => {
  await using t = await setup();
  const res = await t.app.request(
    "/admin/users/",
    asAdmin(json({ username: "  ada ", password: "correct horse" })),
  );
  assertEquals(res.status, 201);
  const body = await res.json();
  assertEquals(body, { id: 1, username: "ada", creation: now.toISOString() });
  const again = await t.app.request(
    "/admin/users",
    asAdmin(json({ username: "bob", password: "correct horse" })),
  );
  assertEquals(again.status, 201);
  assertOk(!t.records.some((r) => JSON.stringify(r).includes("correct horse")));
});

Deno.test("POST /admin/users/ stores only a slow salted hash", async () => {
  await using t = await setup({ hasher: pbkdf2Hasher() });
  for (const username of ["ada", "bob"]) {
    await t.app.request(
      "/admin/users/",
      asAdmin(json({ username, password: "correct horse" })),
    );
  }
  const rows = await t.db.query<{ password_hash: string }>(
    "SELECT password_hash FROM users",
  );
  assertEquals(rows.length, 2);
  for (const { password_hash } of rows) {
    assertOk(!password_hash.includes("correct horse"));
    assertOk(password_hash.startsWith(`pbkdf2-sha256$${DEFAULT_ITERATIONS}$`));
  }
  assertOk(
    rows[0]!.password_hash !== rows[1]!.password_hash,
    "same password, different salt",
  );
});

Deno.test("POST /admin/users/ answers 409 for a taken name, also under concurrency", async () => {
  await using t = await setup();
  const create = () =>
    t.app.request(
      "/admin/users/",
      asAdmin(json({ username: "ada", password: "correct horse" })),
    );
  const statuses = (await Promise.all([create(), create()])).map((r) =>
    r.status
  ).sort();
  assertEquals(statuses, [201, 409]);
  const res = await create();
  assertEquals(res.status, 409);
  assertEquals(await res.json(), {
    error: { code: "conflict", message: "Username already exists: 'ada'" },
  });
  assertEquals(await t.count(), 1);
});

Deno.test("POST /admin/users/ answers 403 without the admin token and creates nothing", async (t) => {
  const body = json({ username: "ada", password: "correct horse" });
  await using s = await setup();
  const refusals: [string, Record<string, string>, string][] = [
    ["no token", {}, "Admin token required in the 'X-Admin-Token' header"],
    ["wrong token", { "X-Admin-Token": "guess" }, "Admin token refused"],
    ["token and more", {
      "X-Admin-Token": `${TEST_ADMIN_TOKEN}x`,
    }, "Admin token refused"],
    ["a bearer token instead", {
      Authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
    }, "Admin token required in the 'X-Admin-Token' header"],
  ];
  for (const [name, headers, message] of refusals) {
    await t.step(name, async () => {
      const res = await s.app.request("/admin/users/", {
        ...body,
        headers: { ...body.headers, ...headers },
      });
      assertEquals(res.status, 403);
      assertEquals(await res.json(), {
        error: { code: "forbidden", message },
      });
    });
  }
  assertEquals(await s.count(), 0);
  await t.step(
    "a service without an admin token refuses even the test one",
    async () => {
      await using none = await setup({ adminToken: undefined });
      const res = await none.app.request("/admin/users/", asAdmin(body));
      assertEquals(res.status, 403);
      assertStringIncludes(
        (await res.json()).error.message,
        "no 'admin_token' in its secrets",
      );
      assertEquals(await none.count(), 0);
    },
  );
  assertOk(
    !s.records.some((r) => JSON.stringify(r).includes(TEST_ADMIN_TOKEN)),
    "the token is not logged",
  );
});

Deno.test("POST /admin/users/ refuses bad input with a 4xx and writes nothing", async (t) => {
  await using s = await setup();
  const cases: [string, RequestInit, number][] = [
    ["missing fields", json({}), 400],
    ["missing password", json({ username: "ada" }), 400],
    ["wrong types", json({ username: 5, password: ["x"] }), 400],
    ["not JSON", json("{username: ada"), 400],
    ["JSON array", json([1, 2]), 400],
    ["no body", { method: "POST" }, 400],
    ["form body", {
      method: "POST",
      body: new URLSearchParams({ username: "a", password: "12345678" }),
    }, 415],
    ["unknown content type", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "x",
    }, 415],
    [
      "oversized body",
      json({ username: "ada", password: "x".repeat(100_000) }),
      413,
    ],
    [
      "SQL metacharacters",
      json({
        username: "ada'; DROP TABLE users; --",
        password: "correct horse",
      }),
      400,
    ],
    ["blank name", json({ username: "   ", password: "correct horse" }), 400],
    [
      "name over 50",
      json({ username: "a".repeat(51), password: "correct horse" }),
      400,
    ],
    ["password under 8", json({ username: "ada", password: "short" }), 400],
    [
      "password over 1024",
      json({ username: "ada", password: "x".repeat(1025) }),
      400,
    ],
  ];
  for (const [name, init, status] of cases) {
    await t.step(name, async () => {
      const res = await s.app.request("/admin/users/", asAdmin(init));
      assertEquals(res.status, status);
      const body = await res.json();
      assertEquals(typeof body.error.code, "string");
      assertOk(!JSON.stringify(body).includes("correct horse"));
    });
  }
  assertEquals(await s.count(), 0);
});

Deno.test("POST /api/login/ returns a token that verifies with the public key and kid", async (t) => {
  await using s = await setup();
  await s.app.request(
    "/admin/users/",
    asAdmin(json({ username: "ada", password: "correct horse" })),
  );
  const publicKey = await importSPKI(publicPem, "RS256");
  const requests: [string, RequestInit][] = [
    ["JSON", json({ username: "ada", password: "correct horse" })],
    ["form", {
      method: "POST",
      body: new URLSearchParams({ username: "ada", password: "correct horse" }),
    }],
  ];
  for (const [name, init] of requests) {
    await t.step(name, async () => {
      const res = await s.app.request("/api/login/", init);
      assertEquals(res.status, 200);
      const { Authorized } = await res.json();
      const token = Authorized.replace(/^Bearer /, "");
      const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
        currentDate: now,
      });
      assertEquals(protectedHeader.alg, "RS256");
      assertEquals(protectedHeader.kid, await keyId(publicPem));
      const iat = now.getTime() / 1000;
      assertEquals(payload, { username: "ada", iat, exp: iat + 3600 });
    });
  }
});

Deno.test("POST /api/login/ answers 401 alike for a wrong password and an unknown user, checking a hash for both", async () => {
  // A hasher that counts its checks: an unknown name must cost a check too,
  // or its faster answer would tell which names exist.
  const real = pbkdf2Hasher(1000);
  let checks = 0;
  const hasher = {
    hash: real.hash,
    verify: (password: string, stored: string) => (
      checks++, real.verify(password, stored)
    ),
  };
  await using s = await setup({ hasher });
  await s.app.request(
    "/admin/users/",
    asAdmin(json({ username: "ada", password: "correct horse" })),
  );
  const wrong = await s.app.request(
    "/api/login/",
    json({ username: "ada", password: "wrong horse" }),
  );
  const unknown = await s.app.request(
    "/api/login/",
    json({ username: "eve", password: "correct horse" }),
  );
  assertEquals([wrong.status, unknown.status], [401, 401]);
  assertEquals(await wrong.json(), await unknown.json());
  assertEquals(checks, 2, "one hash check per login, known name or not");
  const empty = await s.app.request("/api/login/", { method: "POST" });
  assertEquals(empty.status, 400);
});

Deno.test("GET /.well-known/jwks.json publishes keys that verify issued tokens", async () => {
  await using s = await setup();
  const res = await s.app.request("/.well-known/jwks.json");
  assertEquals(res.status, 200);
  const jwks = await res.json();
  assertEquals(jwks.keys.map((k: { kid: string }) => k.kid), [
    keys.signer!.kid,
  ]);
  assertOk(
    jwks.keys.every((k: Record<string, unknown>) =>
      k.d === undefined && k.p === undefined
    ),
  );
  const token = await signToken(keys, "ada", { lifetime: 60, now });
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
    currentDate: now,
  });
  assertEquals(payload.username, "ada");
});

Deno.test("a token signed by another key is refused by the service's verifier", async () => {
  const otherKeys = await freshSigningKeys();
  const forged = await signToken(otherKeys, "ada", { lifetime: 60, now });
  const error = await assertRejects(
    () => verifyToken(keys, forged, now),
    TokenError,
  );
  assertEquals(error.code, "unknown_kid");
});

Deno.test("system routes report version, keys, readiness and metrics", async () => {
  await using s = await setup();
  const version = await (await s.app.request("/admin/version/")).json();
  assertEquals(version, {
    ...info,
    runtime: `deno ${Deno.version.deno}`,
    kids: [keys.signer!.kid],
    signingKid: keys.signer!.kid,
  });
  assertEquals((await s.app.request("/healthz")).status, 200);
  assertEquals((await s.app.request("/readyz")).status, 200);
  await s.app.request("/api/login/", json({ username: "x", password: "y" }));
  const metrics = await (await s.app.request("/metrics")).text();
  assertStringIncludes(
    metrics,
    'http_requests_total{method="POST",route="/api/login",status="401"} 1',
  );
  await checkBuildInfoMetric(s.app);
  await s.db.close();
  assertEquals((await s.app.request("/readyz")).status, 503);
});

Deno.test("an unavailable database answers 503 JSON", async () => {
  const down = () =>
    Promise.reject(new StoreError("unavailable", "Database unavailable"));
  const store: UsersStore = {
    create: down,
    findByUsername: down,
    throttle: { begin: down, end: down, prune: down },
  };
  await using s = await setup({ store, ping: down });
  const res = await s.app.request(
    "/admin/users/",
    asAdmin(json({ username: "ada", password: "correct horse" })),
  );
  assertEquals(res.status, 503);
  assertEquals(await res.json(), {
    error: { code: "unavailable", message: "Database unavailable" },
  });
  assertEquals(
    (await s.app.request("/api/login/", json({ username: "a", password: "b" })))
      .status,
    503,
  );
});

Deno.test("a full disk answers 503 with its reason, not 500, and readiness fails", async () => {
  await using real = await setup();
  // The real store on a database whose writes fail as PostgreSQL's do.
  const db = watchDiskFull({
    ...real.db,
    query: (text, params) =>
      /^\s*INSERT/i.test(text)
        ? Promise.reject(toStoreError({ code: "53100" }))
        : real.db.query(text, params),
  });
  await using s = await setup({
    store: await createUsersStore(db),
    ping: () => db.ping(),
  });
  assertEquals((await s.app.request("/readyz")).status, 200);
  const res = await s.app.request(
    "/admin/users/",
    asAdmin(json({ username: "ada", password: "correct horse" })),
  );
  assertEquals(res.status, 503);
  assertEquals(await res.json(), {
    error: { code: "unavailable", message: "Database storage full" },
  });
  const ready = await s.app.request("/readyz");
  assertEquals(ready.status, 503);
  assertEquals((await ready.json()).checks.database, "Database storage full");
});

Deno.test("usernames are one account whatever their case or width, shown as first chosen", async (t) => {
  await using s = await setup();
  const create = (username: string) =>
    s.app.request(
      "/admin/users/",
      asAdmin(json({ username, password: "correct horse" })),
    );
  const created = await create("Alice");
  assertEquals(created.status, 201);
  assertEquals((await created.json()).username, "Alice");
  for (const taken of ["alice", "ALICE", "\uff21\uff4c\uff49\uff43\uff45"]) {
    await t.step(`'${taken}' is taken`, async () => {
      const res = await create(taken);
      assertEquals(res.status, 409);
      await res.body?.cancel();
    });
  }
  for (const spelling of ["alice", "ALICE", "\uff41\uff4c\uff49\uff43\uff45"]) {
    await t.step(`'${spelling}' logs in as Alice`, async () => {
      const res = await s.app.request(
        "/api/login/",
        json({ username: spelling, password: "correct horse" }),
      );
      assertEquals(res.status, 200);
      const token = (await res.json()).Authorized.slice(7);
      assertEquals((await verifyToken(keys, token, now)).username, "Alice");
    });
  }
  assertEquals(await s.count(), 1);
});

Deno.test("names are held to UTS #39's highly restrictive level with no combining marks; one script or a CJK mix is fine", async (t) => {
  await using s = await setup();
  const cases: [string, number][] = [
    ["\u0430da", 400], // Cyrillic а, Latin d and a
    ["p\u0430yp\u0430l", 400],
    ["\u03bflga", 400], // Greek ο
    ["jose\u0301", 400], // e and a combining acute accent
    ["x\u0307y", 400], // a combining dot above
    ["\u0130lker", 400], // İ: its lower case is i and a combining dot
    ["ada\u0661\u0668", 400], // Arabic-Indic digits beside Latin letters
    ["\u02bf\u0430", 400], // a Latin modifier letter beside Cyrillic
    ["ada", 201],
    ["\u041c\u0430\u0440\u0438\u044f", 201], // Мария
    ["\u5c71\u7530\u305f\u308d\u3046", 201], // 山田たろう
    ["\u5c71\u7530taro", 201], // 山田taro: Han with Latin
    ["\u30ab\u30fc\u30f3", 201], // カーン: the long mark is Japanese
    ["jos\u00e9_1", 201], // é as one letter
    ["\u0930\u093e\u092e", 201], // राम: Devanagari's own vowel sign
    ["\u0661\u0668\u0645", 201], // Arabic digits with an Arabic letter
  ];
  for (const [username, status] of cases) {
    await t.step(`'${username}': ${status}`, async () => {
      const res = await s.app.request(
        "/admin/users/",
        asAdmin(json({ username, password: "correct horse" })),
      );
      assertEquals(res.status, status);
      await res.body?.cancel();
    });
  }
  assertEquals(await s.count(), 8);
});

Deno.test("an account whose name the rules now refuse still logs in", async () => {
  await using s = await setup();
  // Made before the rules, straight in the table: Latin with an Arabic digit.
  await s.db.query(
    "INSERT INTO users (username, username_key, password_hash, creation) VALUES ($1, $1, $2, now())",
    ["ada\u0661", await pbkdf2Hasher(1000).hash("correct horse")],
  );
  const res = await s.app.request(
    "/api/login/",
    json({ username: "ada\u0661", password: "correct horse" }),
  );
  assertEquals(res.status, 200);
  await res.body?.cancel();
});

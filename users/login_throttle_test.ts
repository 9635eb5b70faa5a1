import { asAdmin, assertEquals, assertOk } from "@thoughts/testing";
import { signToken } from "@thoughts/shared/auth";
import { DEVICE_TOKEN_HEADER } from "./app.ts";
import { signDeviceToken } from "./device_tokens.ts";
import { createHashGate } from "./hash_gate.ts";
import type { ThrottleLimits } from "./login_throttle.ts";
import { pbkdf2Hasher } from "./password.ts";
import { STALE_CHECK_SECONDS } from "./store.ts";
import { TEST_NOW, testKeys, testUsersApp } from "./testing.ts";

const limits: Partial<ThrottleLimits> = {
  accountFailures: 2,
  clientFailures: 1000,
  deviceFailures: 3,
  lockSeconds: 30,
  maxLockSeconds: 900,
};

// A login from a source (read from X-Forwarded-For: one trusted hop), with
// a device token or none.
const login = (
  username: string,
  password: string,
  source: string,
  device?: string,
) => ({
  method: "POST",
  headers: {
    "Content-Type": "application/json",
    "X-Forwarded-For": source,
    ...(device && { [DEVICE_TOKEN_HEADER]: device }),
  },
  body: JSON.stringify({ username, password }),
});

type App = Awaited<ReturnType<typeof testUsersApp>>;

async function createUsers(s: App, ...names: string[]) {
  for (const username of names) {
    const res = await s.app.request(
      "/admin/users/",
      asAdmin(login(username, "correct horse", "admin")),
    );
    assertEquals(res.status, 201);
  }
}

// Status and Retry-After of one attempt, and the device token on success.
async function attempt(s: App, ...args: Parameters<typeof login>) {
  const res = await s.app.request("/api/login/", login(...args));
  const body = await res.json();
  return {
    status: res.status,
    retryAfter: res.headers.get("Retry-After"),
    device: body.device_token as string | undefined,
  };
}

function clock() {
  let now = TEST_NOW;
  return {
    now: () => now,
    later: (seconds: number) => now = new Date(now.getTime() + seconds * 1000),
  };
}

Deno.test("a login flood on one account is cut to the configured failures, and another user's login stays fast", async () => {
  // The production hasher (PBKDF2, 600,000 iterations) and bounds.
  await using s = await testUsersApp({
    limits: { ...limits, accountFailures: 5 },
    hasher: pbkdf2Hasher(),
    gate: createHashGate({
      concurrency: 2,
      queue: 16,
      trustedQueue: 16,
      perClient: 4,
    }),
    now: () => new Date(),
    trustedProxyHops: 1,
  });
  await createUsers(s, "ada", "bob");
  // Over a real socket, as a flood arrives.
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    s.app.fetch,
  );
  const url = `http://127.0.0.1:${server.addr.port}/api/login/`;
  const statuses: number[] = [];
  const retryAfter = new Set<string | null>();
  let flooding = true;
  const attacker = async () => {
    while (flooding) {
      const res = await fetch(
        url,
        login("ada", `guess-${statuses.length}`, "203.0.113.9"),
      );
      statuses.push(res.status);
      if (res.status === 429) retryAfter.add(res.headers.get("Retry-After"));
      await res.body?.cancel();
    }
  };
  const flood = Promise.all(Array.from({ length: 16 }, attacker));
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    const res = await fetch(
      url,
      login("bob", "correct horse", "198.51.100.7"),
    );
    times.push(performance.now() - started);
    assertEquals(res.status, 200);
    await res.body?.cancel();
  }
  flooding = false;
  await flood;
  const hashed = statuses.filter((status) => status === 401).length;
  assertEquals(hashed, 5, `statuses: ${statuses}`);
  // The rest were refused before any check: locked, or past the source's
  // share of the hasher.
  assertEquals(
    statuses.length - hashed,
    statuses.filter((status) => status === 429 || status === 503).length,
  );
  assertOk(
    [...retryAfter].every((wait) => Number(wait) <= 30),
    [...retryAfter].join(),
  );
  // A real login costs one PBKDF2 (about 150 ms): well under this bound even
  // on a busy machine, where a queue behind the flood would not be.
  assertOk(Math.max(...times) < 2000, `bob's logins took ${times} ms`);
  console.log(
    `flood: ${statuses.length} attempts, ${hashed} checked; bob's logins ${
      times.map((t) => t.toFixed(0)).join(", ")
    } ms`,
  );
});

Deno.test("a stranger's failures lock the account for strangers, doubling; a success forgets them", async () => {
  const { now, later } = clock();
  await using s = await testUsersApp({ limits, now, trustedProxyHops: 1 });
  await createUsers(s, "ada");
  const stranger = (password: string) =>
    attempt(s, password === "wrong" ? "ADA" : "ada", password, "203.0.113.9")
      .then((r) => [r.status, r.retryAfter]);
  assertEquals(await stranger("wrong"), [401, null]);
  assertEquals(await stranger("wrong"), [401, null]);
  // Locked: even the right password waits, and the answer is cheap.
  assertEquals(await stranger("correct horse"), [429, "30"]);
  later(10);
  assertEquals(await stranger("wrong"), [429, "20"]);
  later(21);
  assertEquals(await stranger("wrong"), [401, null]);
  assertEquals(await stranger("wrong"), [429, "60"]);
  later(61);
  assertEquals(await stranger("correct horse"), [200, null]);
  assertEquals(await stranger("wrong"), [401, null], "the count starts again");
});

Deno.test("the owner's device logs in while strangers keep the account locked, and keeps a small budget of its own", async () => {
  await using s = await testUsersApp({ limits, trustedProxyHops: 1 });
  await createUsers(s, "ada");
  const { device } = await attempt(s, "ada", "correct horse", "198.51.100.7");
  assertOk(device, "a device token on success");
  for (let i = 0; i < 5; i++) {
    await attempt(s, "ada", "wrong", `203.0.113.${i}`);
  }
  assertEquals(
    (await attempt(s, "ada", "correct horse", "203.0.113.99")).status,
    429,
    "locked for strangers",
  );
  const owner = await attempt(
    s,
    "ada",
    "correct horse",
    "198.51.100.7",
    device,
  );
  assertEquals(owner.status, 200, "the owner's device is not");
  // The device's own budget: three failures, then it is a stranger too.
  for (let i = 0; i < 3; i++) {
    assertEquals(
      (await attempt(s, "ada", "wrong", "198.51.100.7", owner.device)).status,
      401,
    );
  }
  const spent = await attempt(
    s,
    "ada",
    "correct horse",
    "198.51.100.7",
    device,
  );
  assertEquals([spent.status, spent.retryAfter], [429, "30"]);
});

Deno.test("a device token vouches only for its own account, unaltered and unexpired, and no access token passes for one", async (t) => {
  await using s = await testUsersApp({ limits, trustedProxyHops: 1 });
  await createUsers(s, "ada", "bob");
  const bobs = (await attempt(s, "bob", "correct horse", "198.51.100.7"))
    .device!;
  for (let i = 0; i < 2; i++) await attempt(s, "ada", "wrong", "203.0.113.9");
  const ada = await s.db.query<{ id: number }>(
    "SELECT id FROM users WHERE username = 'ada'",
  );
  const cases: [string, () => Promise<string>][] = [
    ["another account's", () => Promise.resolve(bobs)],
    [
      "an access token",
      () => signToken(testKeys, "ada", { lifetime: 3600, now: TEST_NOW }),
    ],
    ["expired", () =>
      signDeviceToken(
        testKeys,
        { userId: ada[0]!.id, name: "ada", id: "old" },
        { lifetime: 60, now: new Date(TEST_NOW.getTime() - 120_000) },
      )],
    ["for the name of an account made again", () =>
      signDeviceToken(
        testKeys,
        { userId: ada[0]!.id + 100, name: "ada", id: "gone" },
        { lifetime: 3600, now: TEST_NOW },
      )],
    ["a stray bit in its signature", async () => {
      const token = await signDeviceToken(
        testKeys,
        { userId: ada[0]!.id, name: "ada", id: "d" },
        { lifetime: 3600, now: TEST_NOW },
      );
      const alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      return `${token.slice(0, -1)}${
        alphabet[alphabet.indexOf(token.at(-1)!) | 1]
      }`;
    }],
  ];
  for (const [name, make] of cases) {
    await t.step(`${name}: a stranger`, async () => {
      const res = await attempt(
        s,
        "ada",
        "correct horse",
        "198.51.100.7",
        await make(),
      );
      assertEquals(res.status, 429);
    });
  }
});

Deno.test("one source spraying many accounts is locked, while successful logins never count", async () => {
  await using s = await testUsersApp({
    limits: { ...limits, accountFailures: 100, clientFailures: 3 },
    trustedProxyHops: 1,
  });
  await createUsers(s, "ada");
  for (let i = 0; i < 10; i++) {
    assertEquals(
      (await attempt(s, "ada", "correct horse", "198.51.100.7")).status,
      200,
    );
  }
  const statuses = [];
  for (const name of ["u1", "u2", "u3", "u4", "ada"]) {
    statuses.push((await attempt(s, name, "wrong", "203.0.113.9")).status);
  }
  assertEquals(statuses, [401, 401, 401, 429, 429]);
  assertEquals(
    (await attempt(s, "ada", "correct horse", "198.51.100.7")).status,
    200,
    "another source is not affected",
  );
  // An IPv6 host owns its /64: another address in it is the same source.
  for (const address of ["2001:db8::1", "2001:db8:0:0::2", "2001:0db8::3"]) {
    await attempt(s, "nobody", "wrong", address);
  }
  assertEquals((await attempt(s, "ada", "x", "2001:db8::ffff")).status, 429);
  assertEquals((await attempt(s, "ada", "x", "2001:db8:1::1")).status, 401);
});

Deno.test("concurrent guesses cannot slip past the count: checks in flight fill the free failures", async () => {
  const slow = pbkdf2Hasher(20_000);
  await using s = await testUsersApp({
    limits: { ...limits, accountFailures: 3 },
    hasher: slow,
    gate: createHashGate({
      concurrency: 8,
      queue: 32,
      trustedQueue: 32,
      perClient: 100,
    }),
    trustedProxyHops: 1,
  });
  await createUsers(s, "ada");
  const results = await Promise.all(
    Array.from(
      { length: 20 },
      (_, i) => attempt(s, "ada", `guess ${i}`, `203.0.113.${i}`),
    ),
  );
  const statuses = results.map((r) => r.status);
  assertEquals(statuses.filter((status) => status === 401).length, 3);
  assertEquals(statuses.filter((status) => status === 429).length, 17);
});

Deno.test("a check whose process died is forgotten after a while, and counted nothing", async () => {
  const { now, later } = clock();
  await using s = await testUsersApp({
    limits: { ...limits, accountFailures: 1 },
    now,
    trustedProxyHops: 1,
  });
  await createUsers(s, "ada");
  const [{ id }] = await s.db.query<{ id: number }>(
    "SELECT id FROM users WHERE username = 'ada'",
  ) as [{ id: number }];
  // A replica began a check on the account and died before it ended.
  await s.db.query(
    `INSERT INTO login_throttle (scope, key, checking, checked_at)
     VALUES ('account', $1, 1, $2)`,
    [String(id), now()],
  );
  const held = await attempt(s, "ada", "correct horse", "198.51.100.7");
  assertEquals([held.status, held.retryAfter], [429, "1"]);
  later(STALE_CHECK_SECONDS + 1);
  assertEquals(
    (await attempt(s, "ada", "correct horse", "198.51.100.7")).status,
    200,
  );
});

Deno.test("made-up names are counted like accounts and kept within bounds, never evicting an account's lock", async () => {
  await using s = await testUsersApp({
    limits: { ...limits, clientFailures: 100_000, maxRows: 100 },
    trustedProxyHops: 1,
  });
  await createUsers(s, "ada");
  // An unknown name locks as a known one does: 429 tells nothing.
  for (let i = 0; i < 2; i++) await attempt(s, "nobody", "x", "203.0.113.9");
  assertEquals((await attempt(s, "nobody", "x", "203.0.113.9")).status, 429);
  for (let i = 0; i < 2; i++) await attempt(s, "ada", "x", "203.0.113.9");
  for (let i = 0; i < 400; i++) {
    await attempt(s, `made-up-${i}`, "x", `10.${i >> 8}.${i & 255}.1`);
  }
  const counts = Object.fromEntries(
    (await s.db.query<{ scope: string; n: number }>(
      "SELECT scope, count(*)::int AS n FROM login_throttle GROUP BY scope",
    )).map((row) => [row.scope, row.n]),
  );
  assertOk(counts.name! <= 100 + 64, `names kept: ${counts.name}`);
  assertOk(counts.source! <= 100 + 64, `sources kept: ${counts.source}`);
  assertEquals(
    (await attempt(s, "ada", "correct horse", "198.51.100.7")).status,
    429,
    "ada's lock holds",
  );
});

Deno.test("logins beyond the hashing bound are refused at once with 503 and Retry-After, and count nothing", async () => {
  let gated = false;
  const { promise: gate, resolve: release } = Promise.withResolvers<void>();
  const quick = pbkdf2Hasher(1000);
  await using s = await testUsersApp({
    limits: { ...limits, accountFailures: 5 },
    hasher: {
      hash: quick.hash,
      verify: async (password, stored) => (
        gated && await gate, quick.verify(password, stored)
      ),
    },
    gate: createHashGate({
      concurrency: 1,
      queue: 1,
      trustedQueue: 1,
      perClient: 100,
    }),
    trustedProxyHops: 1,
  });
  await createUsers(s, "ada");
  // The first login also hashes the decoy for unknown names; done before.
  await attempt(s, "nobody", "x", "198.51.100.1");
  gated = true;
  const pending = Array.from(
    { length: 4 },
    (_, i) => attempt(s, "ada", "wrong", `198.51.100.${i}`),
  );
  // Two get a turn (one running, one waiting): the other two are answered
  // at once, whichever they are.
  const answered: Awaited<ReturnType<typeof attempt>>[] = [];
  pending.forEach((p) => p.then((res) => answered.push(res)));
  const started = performance.now();
  while (answered.length < 2 && performance.now() - started < 2000) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assertEquals(answered.map((r) => [r.status, r.retryAfter]), [
    [503, "1"],
    [503, "1"],
  ]);
  release();
  const all = await Promise.all(pending);
  assertEquals(all.map((r) => r.status).sort(), [401, 401, 503, 503]);
  assertEquals(s.records.filter((r) => r.level === "error"), []);
  // The refused attempts were not counted as guesses: 2 of 5 used.
  for (let i = 0; i < 3; i++) {
    assertEquals(
      (await attempt(s, "ada", "wrong", "198.51.100.9")).status,
      401,
    );
  }
  assertEquals((await attempt(s, "ada", "wrong", "198.51.100.9")).status, 429);
});

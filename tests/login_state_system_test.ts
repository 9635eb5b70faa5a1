// Login throttling's state against real users processes: shared by
// replicas, kept across restarts, counting only checked passwords, and
// reading the source only through trusted proxies.
import {
  assertEquals,
  assertOk,
  missing,
  serviceDatabase,
  startService,
  startThrowawayPostgres,
  TEST_ADMIN_TOKEN,
  testEngine,
} from "@thoughts/testing";

const json = { "Content-Type": "application/json" };

async function createAda(url: string) {
  const res = await fetch(`${url}/admin/users/`, {
    method: "POST",
    headers: { ...json, "X-Admin-Token": TEST_ADMIN_TOKEN },
    body: JSON.stringify({ username: "ada", password: "correct horse" }),
  });
  assertEquals(res.status, 201);
}

async function login(
  url: string,
  password: string,
  { username = "ada", source }: { username?: string; source?: string } = {},
) {
  const res = await fetch(`${url}/api/login/`, {
    method: "POST",
    headers: { ...json, ...(source && { "X-Forwarded-For": source }) },
    body: JSON.stringify({ username, password }),
  });
  await res.body?.cancel();
  return res.status;
}

// A database two users processes can share: PostgreSQL (PGlite lives in one
// process), the tests' server or a throwaway one.
async function sharedDatabase() {
  if (testEngine() === "POSTGRES") return await serviceDatabase();
  const pg = await startThrowawayPostgres();
  return {
    env: { DATABASE_ENGINE: "POSTGRES", POSTGRES_DB: "postgres", ...pg.env },
    [Symbol.asyncDispose]: () => pg[Symbol.asyncDispose](),
  };
}

Deno.test({
  name:
    "two replicas on one database share the count: N failures in all, in turn or at once, then both refuse",
  ignore: testEngine() === "PGLITE" && missing("postgresql"),
}, async () => {
  await using db = await sharedDatabase();
  const env = { APP_ENV: "test", ...db.env, LOGIN_ACCOUNT_FAILURES: "4" };
  await using first = await startService("users/main.ts", env);
  await using second = await startService("users/main.ts", env);
  await createAda(first.url);
  const replicas = [first.url, second.url];
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push(await login(replicas[i % 2]!, "x"));
  assertEquals(statuses, [401, 401, 401, 401]);
  assertEquals(await login(first.url, "correct horse"), 429);
  assertEquals(await login(second.url, "correct horse"), 429);

  // At once: guesses in flight on either replica fill the free failures.
  const bob = await fetch(`${first.url}/admin/users/`, {
    method: "POST",
    headers: { ...json, "X-Admin-Token": TEST_ADMIN_TOKEN },
    body: JSON.stringify({ username: "bob", password: "correct horse" }),
  });
  assertEquals(bob.status, 201);
  const together = await Promise.all(
    Array.from(
      { length: 12 },
      (_, i) => login(replicas[i % 2]!, `guess ${i}`, { username: "bob" }),
    ),
  );
  assertEquals(together.filter((status) => status === 401).length, 4);
  assertOk(
    together.every((status) => [401, 429, 503].includes(status)),
    together.join(),
  );
});

Deno.test("a restart of users keeps a lock", async () => {
  await using db = await serviceDatabase();
  const env = { APP_ENV: "test", ...db.env };
  const before = await startService("users/main.ts", env);
  try {
    await createAda(before.url);
    for (let i = 0; i < 5; i++) assertEquals(await login(before.url, "x"), 401);
    assertEquals(await login(before.url, "correct horse"), 429);
  } finally {
    assertEquals((await before.stop("SIGTERM")).code, 0);
  }
  await using after = await startService("users/main.ts", env);
  const res = await fetch(`${after.url}/api/login/`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ username: "ada", password: "correct horse" }),
  });
  assertEquals(res.status, 429);
  assertOk(Number(res.headers.get("Retry-After")) > 0);
  await res.body?.cancel();
});

Deno.test("a spoofed X-Forwarded-For changes nothing with no trusted hop, and is the source behind one", async (t) => {
  await using db = await serviceDatabase();
  const env = {
    APP_ENV: "test",
    ...db.env,
    LOGIN_CLIENT_FAILURES: "3",
    LOGIN_ACCOUNT_FAILURES: "100",
  };
  // Each guess at another made-up name, from another claimed address.
  const guesses = (url: string, source: () => string) =>
    Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, 100 * i));
        return await login(url, "x", { username: `n${i}`, source: source() });
      }),
    );
  await t.step("no trusted hop: every guess is the connection's", async () => {
    await using users = await startService("users/main.ts", env);
    let n = 0;
    assertEquals(await guesses(users.url, () => `203.0.113.${n++}`), [
      401,
      401,
      401,
      429,
    ]);
  });
  await t.step(
    "one trusted hop: the header's last entry is the source",
    async () => {
      await using users = await startService("users/main.ts", {
        ...env,
        TRUSTED_PROXY_HOPS: "1",
      });
      let n = 0;
      // The client's own words come first; the proxy appended the address it saw.
      assertEquals(
        await guesses(users.url, () => `6.6.6.${n++}, 203.0.113.9`),
        [401, 401, 401, 429],
      );
      assertEquals(
        await login(users.url, "x", { username: "n9", source: "198.51.100.7" }),
        401,
        "another source is not locked",
      );
    },
  );
});

Deno.test({
  name:
    "logins answered 503 while PostgreSQL is stopped count nothing: the right password works at once after",
  ignore: missing("postgresql"),
}, async () => {
  await using pg = await startThrowawayPostgres();
  await using users = await startService("users/main.ts", {
    APP_ENV: "test",
    DATABASE_ENGINE: "POSTGRES",
    POSTGRES_DB: "postgres",
    POSTGRES_CONNECT_TIMEOUT_SECONDS: "1",
    POSTGRES_QUERY_TIMEOUT_SECONDS: "1",
    ...pg.env,
  });
  await createAda(users.url);
  await pg.stop();
  const during = [];
  for (let i = 0; i < 12; i++) {
    during.push(await login(users.url, i % 2 ? "correct horse" : "wrong"));
  }
  assertEquals(new Set(during), new Set([503]));
  await pg.start();
  let status = 503;
  const started = performance.now();
  while (status === 503 && performance.now() - started < 10_000) {
    status = await login(users.url, "correct horse");
    if (status === 503) await new Promise((r) => setTimeout(r, 100));
  }
  assertEquals(status, 200, "the first answer after the outage");
});

Deno.test("fifty concurrent creates of one name: one 201, the rest 409 or 503, never 500", async () => {
  await using db = await serviceDatabase();
  await using users = await startService("users/main.ts", {
    APP_ENV: "test",
    ...db.env,
  });
  const statuses = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const res = await fetch(`${users.url}/admin/users/`, {
        method: "POST",
        headers: { ...json, "X-Admin-Token": TEST_ADMIN_TOKEN },
        body: JSON.stringify({ username: "ada", password: "correct horse" }),
      });
      if (res.status === 503) {
        assertEquals(res.headers.get("Retry-After"), "1");
      }
      await res.body?.cancel();
      return res.status;
    }),
  );
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  console.log(`creates: ${JSON.stringify(counts)}`);
  assertEquals(counts[201], 1);
  assertOk(
    statuses.every((s) => [201, 409, 503].includes(s)),
    JSON.stringify(counts),
  );
});

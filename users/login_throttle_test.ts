import { asAdmin, assertEquals, assertOk } from "@thoughts/testing";
import { boundedHasher } from "./bounded_hasher.ts";
import { memoryLoginThrottle, type ThrottleLimits } from "./login_throttle.ts";
import { pbkdf2Hasher } from "./password.ts";
import { testUsersApp } from "./testing.ts";

const limits: ThrottleLimits = {
  accountFailures: 5,
  clientFailures: 1000,
  lockSeconds: 30,
  maxLockSeconds: 900,
};

const login = (username: string, password: string, client: string) => ({
  method: "POST",
  headers: { "Content-Type": "application/json", "X-Forwarded-For": client },
  body: JSON.stringify({ username, password }),
});

type App = Awaited<ReturnType<typeof testUsersApp>>;

async function createUsers(s: App, ...names: string[]) {
  for (const username of names) {
    const res = await s.app.request(
      "/admin/users/",
      asAdmin(
        login(username, "correct horse", "admin"),
      ),
    );
    assertEquals(res.status, 201);
  }
}

Deno.test("a login flood on one account is cut to the configured failures, and another user's login stays fast", async () => {
  // The production hasher (PBKDF2, 600,000 iterations) and bounds.
  const hasher = boundedHasher(pbkdf2Hasher(), { concurrency: 2, queue: 16 });
  await using s = await testUsersApp({
    hasher,
    throttle: memoryLoginThrottle(limits),
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
  assertEquals(hashed, limits.accountFailures, `statuses: ${statuses}`);
  assertEquals(
    statuses.length - hashed,
    statuses.filter((status) => status === 429).length,
  );
  assertEquals([...retryAfter], ["30"]);
  // A real login costs one PBKDF2 (about 150 ms): well under this bound even
  // on a busy machine, where a queue behind the flood would not be.
  assertOk(Math.max(...times) < 2000, `bob's logins took ${times} ms`);
  console.log(
    `flood: ${statuses.length} attempts, ${hashed} checked; bob's logins ${
      times.map((t) => t.toFixed(0)).join(", ")
    } ms`,
  );
});

Deno.test("a locked account waits twice as long after each further failure, and a success forgets its failures", async () => {
  let now = new Date("2026-11-25T12:00:00Z");
  const later = (seconds: number) =>
    now = new Date(now.getTime() + seconds * 1000);
  await using s = await testUsersApp({
    throttle: memoryLoginThrottle({ ...limits, accountFailures: 2 }),
    now: () => now,
  });
  await createUsers(s, "ada");
  // Failures count per account whatever the spelling of its name.
  const attempt = async (password: string) => {
    const name = password === "wrong" ? "ADA" : "ada";
    const res = await s.app.request(
      "/api/login/",
      login(name, password, "203.0.113.9"),
    );
    await res.body?.cancel();
    return [res.status, res.headers.get("Retry-After")];
  };
  assertEquals(await attempt("wrong"), [401, null]);
  assertEquals(await attempt("wrong"), [401, null]);
  // Locked: even the right password waits, and the answer is cheap.
  assertEquals(await attempt("correct horse"), [429, "30"]);
  later(10);
  assertEquals(await attempt("wrong"), [429, "20"]);
  later(21);
  assertEquals(await attempt("wrong"), [401, null]);
  assertEquals(await attempt("wrong"), [429, "60"]);
  later(61);
  assertEquals(await attempt("correct horse"), [200, null]);
  assertEquals(await attempt("wrong"), [401, null], "the count starts again");
});

Deno.test("one client spraying many accounts is locked, while successful logins never count", async () => {
  await using s = await testUsersApp({
    throttle: memoryLoginThrottle({ ...limits, clientFailures: 3 }),
  });
  await createUsers(s, "ada");
  for (let i = 0; i < 10; i++) {
    const res = await s.app.request(
      "/api/login/",
      login("ada", "correct horse", "198.51.100.7"),
    );
    assertEquals(res.status, 200);
    await res.body?.cancel();
  }
  const statuses = [];
  for (const name of ["u1", "u2", "u3", "u4", "ada"]) {
    const res = await s.app.request(
      "/api/login/",
      login(name, "wrong", "203.0.113.9"),
    );
    statuses.push(res.status);
    await res.body?.cancel();
  }
  assertEquals(statuses, [401, 401, 401, 429, 429]);
  const other = await s.app.request(
    "/api/login/",
    login("ada", "correct horse", "198.51.100.7"),
  );
  assertEquals(other.status, 200, "another client is not affected");
});

Deno.test("logins beyond the hashing bound are refused at once with 503 and Retry-After, and logged as no failure", async () => {
  let gated = false;
  const { promise: gate, resolve: release } = Promise.withResolvers<void>();
  const quick = pbkdf2Hasher(1000);
  const hasher = boundedHasher({
    hash: quick.hash,
    verify: async (password, stored) => (
      gated && await gate, quick.verify(password, stored)
    ),
  }, { concurrency: 1, queue: 1 });
  await using s = await testUsersApp({
    hasher,
    throttle: memoryLoginThrottle(limits),
  });
  await createUsers(s, "ada");
  // The first login also hashes the decoy for unknown names; done before.
  await (await s.app.request("/api/login/", login("ada", "correct horse", "x")))
    .body?.cancel();
  gated = true;
  const pending = Array.from(
    { length: 4 },
    (_, i) =>
      s.app.request("/api/login/", login("ada", "wrong", `198.51.100.${i}`)),
  );
  // Two get a hashing slot (one running, one waiting): the other two are
  // answered at once, whichever they are.
  const answered: Response[] = [];
  pending.forEach((p) => Promise.resolve(p).then((res) => answered.push(res)));
  const started = performance.now();
  while (answered.length < 2 && performance.now() - started < 2000) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assertEquals(answered.length, 2, "two refused at once");
  for (const res of answered) {
    assertEquals(res.status, 503);
    assertEquals(res.headers.get("Retry-After"), "1");
    assertEquals(
      (await res.json()).error.message,
      "Too many logins at once; try again shortly",
    );
  }
  release();
  const all = await Promise.all(pending);
  assertEquals(all.map((r) => r.status).sort(), [401, 401, 503, 503]);
  assertEquals(s.records.filter((r) => r.level === "error"), []);
  // The refused attempts were not counted as guesses: 2 of 5 used.
  for (let i = 0; i < 3; i++) {
    const res = await s.app.request(
      "/api/login/",
      login("ada", "wrong", "198.51.100.9"),
    );
    assertEquals(res.status, 401);
  }
});

import {
  assertEquals,
  assertOk,
  missing,
  serviceDatabase,
  startBackends,
  startService,
  startThrowawayPostgres,
} from "@thoughts/testing";

const json = { "Content-Type": "application/json" };

Deno.test("SIGTERM: readiness fails first, in-flight requests finish, exit 0", async () => {
  await using db = await serviceDatabase();
  await using thoughts = await startService("thoughts/main.ts", {
    APP_ENV: "test",
    SHUTDOWN_DELAY_SECONDS: "1",
    ...db.env,
  });
  let sending = true;
  const results: number[] = [];
  const failures: string[] = [];
  // Like a load balancer, clients stop sending once readiness fails.
  const watcher = (async () => {
    while (sending) {
      const ready = await fetch(`${thoughts.url}/readyz`).then(
        (r) => (r.body?.cancel(), r.ok),
        () => false,
      );
      if (!ready) sending = false;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const worker = async () => {
    while (sending) {
      try {
        const res = await fetch(`${thoughts.url}/api/thoughts/?limit=20`);
        await res.body?.cancel();
        results.push(res.status);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  };
  const workers = Array.from({ length: 20 }, worker);
  await new Promise((r) => setTimeout(r, 500));
  const before = results.length;
  const status = thoughts.stop("SIGTERM");
  await Promise.all([...workers, watcher]);
  assertEquals((await status).code, 0);
  assertEquals(failures, []);
  assertOk(results.length > before, "requests went on during the drain");
  assertOk(
    results.every((s) => s === 200),
    `statuses: ${[...new Set(results)]}`,
  );
  const log = thoughts.output();
  assertOk(log.indexOf('"Shutting down"') < log.indexOf('"Stopped"'));
});

// Short timeouts, so the test is quick; the defaults are 3 s and 5 s.
const TIMEOUT_S = 2;

async function outageSetup() {
  const pg = await startThrowawayPostgres();
  const thoughts = await startService("thoughts/main.ts", {
    APP_ENV: "test",
    DATABASE_ENGINE: "POSTGRES",
    POSTGRES_DB: "postgres",
    POSTGRES_CONNECT_TIMEOUT_SECONDS: String(TIMEOUT_S),
    POSTGRES_QUERY_TIMEOUT_SECONDS: String(TIMEOUT_S),
    ...pg.env,
  });
  const timed = async (path: string) => {
    const started = performance.now();
    const res = await fetch(`${thoughts.url}${path}`);
    const body = await res.json();
    return { status: res.status, body, ms: performance.now() - started };
  };
  // Polls until the list answers 200; the time from the call.
  const recovery = async () => {
    const started = performance.now();
    while (performance.now() - started < 15_000) {
      const res = await fetch(`${thoughts.url}/api/thoughts/`);
      await res.body?.cancel();
      if (res.status === 200) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 100));
    }
    return Infinity;
  };
  return {
    pg,
    thoughts,
    timed,
    recovery,
    async [Symbol.asyncDispose]() {
      await thoughts[Symbol.asyncDispose]();
      await pg[Symbol.asyncDispose]();
    },
  };
}

// Each request's 503 comes within the timeout (plus a margin for this busy
// machine), readiness fails, and the service recovers within 2 s of the
// server's return, without a restart.
async function checkOutage(
  t: Deno.TestContext,
  s: Awaited<ReturnType<typeof outageSetup>>,
  end: () => Promise<void>,
) {
  const limit = TIMEOUT_S * 1000 + 1500;
  // Long enough for postgres.js's reconnect backoff to have grown.
  await t.step(
    "each request for 8 s answers 503 within the timeout",
    async () => {
      const started = performance.now();
      const times: number[] = [];
      while (performance.now() - started < 8000) {
        const down = await s.timed("/api/thoughts/");
        assertEquals([down.status, down.body], [503, {
          error: { code: "unavailable", message: "Database unavailable" },
        }]);
        assertOk(down.ms < limit, `503 after ${down.ms.toFixed(0)} ms`);
        times.push(down.ms);
        await new Promise((r) => setTimeout(r, 250));
      }
      console.log(
        `${times.length} requests, 503 after at most ${
          Math.max(...times).toFixed(0)
        } ms`,
      );
    },
  );
  await t.step("readiness fails within the timeout", async () => {
    const ready = await s.timed("/readyz");
    assertEquals(ready.status, 503);
    assertEquals(ready.body.checks.database, "Database unavailable");
    assertOk(ready.ms < limit, `/readyz after ${ready.ms.toFixed(0)} ms`);
  });
  await end();
  await t.step(
    "requests succeed within 2 s of the server's return",
    async () => {
      const ms = await s.recovery();
      console.log(`recovered after ${ms.toFixed(0)} ms`);
      assertOk(ms < 2000, `recovered after ${ms} ms`);
      assertEquals((await s.timed("/readyz")).status, 200);
    },
  );
}

Deno.test({
  name:
    "a stopped PostgreSQL: 503 within the timeout, and recovery within 2 s of its return, without a restart",
  ignore: missing("postgresql"),
}, async (t) => {
  await using s = await outageSetup();
  assertEquals((await s.timed("/api/thoughts/")).status, 200);
  await s.pg.stop();
  await checkOutage(t, s, () => s.pg.start());
  assertOk(
    !s.thoughts.output().includes(s.pg.env.POSTGRES_PASSWORD!),
    "the password never reaches a log",
  );
});

Deno.test({
  name:
    "a frozen PostgreSQL (SIGSTOP): 503 within the timeout, and recovery within 2 s of SIGCONT",
  ignore: missing("postgresql"),
}, async (t) => {
  await using s = await outageSetup();
  assertEquals((await s.timed("/api/thoughts/")).status, 200);
  const main = await s.pg.pid();
  const children = new TextDecoder().decode(
    (await new Deno.Command("pgrep", { args: ["-P", String(main)] }).output())
      .stdout,
  ).split("\n").filter(Boolean).map(Number);
  const signal = (name: Deno.Signal) => {
    for (const pid of [main, ...children]) {
      try {
        Deno.kill(pid, name);
      } catch { /* a session that has ended */ }
    }
  };
  signal("SIGSTOP");
  try {
    await checkOutage(t, s, () => Promise.resolve(signal("SIGCONT")));
  } finally {
    signal("SIGCONT");
  }
});

Deno.test("30 s at 50 connections, reads and writes: no error, every acknowledged write kept", async () => {
  const seconds = Number(Deno.env.get("LOAD_TEST_SECONDS") ?? "30");
  await using backends = await startBackends();
  const { thoughts } = backends;
  await backends.createUser("ada", "correct horse");
  const authorization = await backends.login("ada", "correct horse");
  const acknowledged: { id: number; text: string }[] = [];
  const errors: string[] = [];
  let requests = 0;
  const deadline = Date.now() + seconds * 1000;
  const connection = async (n: number) => {
    for (let i = 0; Date.now() < deadline; i++) {
      try {
        if (i % 4 === 0) {
          const text = `load ${n}-${i} ${crypto.randomUUID()}`;
          const res = await fetch(`${thoughts.url}/api/me/thoughts/`, {
            method: "POST",
            headers: { ...json, Authorization: authorization },
            body: JSON.stringify({ text }),
          });
          if (res.status !== 201) errors.push(`POST ${res.status}`);
          else acknowledged.push({ id: (await res.json()).id, text });
        } else {
          const res = await fetch(
            `${thoughts.url}/api/thoughts/?limit=20&offset=${i % 50}`,
          );
          if (res.status !== 200) errors.push(`GET ${res.status}`);
          await res.body?.cancel();
        }
        requests++;
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: 50 }, (_, n) => connection(n)));
  assertEquals(errors, []);
  const all: { id: number; text: string }[] =
    await (await fetch(`${thoughts.url}/api/thoughts/?limit=500&search=load`))
      .json();
  // Every stored thought, page by page through the Link header's cursors.
  const stored = new Map<number, string>();
  let next: string | undefined = "/api/thoughts/?limit=500";
  while (next) {
    const res: Response = await fetch(`${thoughts.url}${next}`);
    assertEquals(res.status, 200);
    for (const t of (await res.json()) as { id: number; text: string }[]) {
      stored.set(t.id, t.text);
    }
    next = /<([^>]+)>; rel="next"/.exec(res.headers.get("Link") ?? "")?.[1];
  }
  assertOk(all.length > 0);
  const missing = acknowledged.filter((w) => stored.get(w.id) !== w.text);
  assertEquals(missing, []);
  console.log(
    `Load: ${requests} requests in ${seconds} s (${
      Math.round(requests / seconds)
    }/s), ${acknowledged.length} writes kept`,
  );
});

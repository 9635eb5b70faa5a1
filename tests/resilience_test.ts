import {
  assertEquals,
  assertOk,
  assertStringIncludes,
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

Deno.test({
  name:
    "a PostgreSQL outage answers 503 and the service recovers without a restart",
  ignore: missing("postgresql"),
}, async () => {
  await using pg = await startThrowawayPostgres();
  const server = async () =>
    await Deno.readTextFile(`/proc/${await pg.pid()}/cmdline`);
  assertStringIncludes(await server(), "postgres");
  await using thoughts = await startService("thoughts/main.ts", {
    APP_ENV: "test",
    DATABASE_ENGINE: "POSTGRES",
    POSTGRES_DB: "postgres",
    ...pg.env,
  });
  const list = () => fetch(`${thoughts.url}/api/thoughts/`);
  assertEquals((await list()).status, 200);

  await pg.stop();
  const down = await list();
  assertEquals(down.status, 503);
  assertEquals(await down.json(), {
    error: { code: "unavailable", message: "Database unavailable" },
  });
  const ready = await fetch(`${thoughts.url}/readyz`);
  assertEquals(ready.status, 503);
  assertEquals((await ready.json()).checks.database, "Database unavailable");

  await pg.start();
  assertStringIncludes(await server(), "postgres");
  const deadline = Date.now() + 15_000;
  let status = 0;
  while (Date.now() < deadline && status !== 200) {
    const res = await list();
    await res.body?.cancel();
    status = res.status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  assertEquals(status, 200, "recovered without a restart");
  assertEquals(
    await fetch(`${thoughts.url}/readyz`).then((
      r,
    ) => (r.body?.cancel(), r.status)),
    200,
  );
  assertOk(
    !thoughts.output().includes(pg.env.POSTGRES_PASSWORD!),
    "the password never reaches a log",
  );
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
  const stored = new Map<number, string>();
  for (let offset = 0;; offset += 500) {
    const page: { id: number; text: string }[] = await (await fetch(
      `${thoughts.url}/api/thoughts/?limit=500&offset=${offset}`,
    )).json();
    for (const t of page) stored.set(t.id, t.text);
    if (page.length < 500) break;
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

/**
 * `deno task bench`: the services against a real PostgreSQL, loaded from a
 * separate process, each endpoint side by side with its floor (a bare
 * `Deno.serve` running the same SQL through the same driver), plus the cost
 * of one token verification and the services' memory. Uses the
 * `POSTGRES_*` settings when `DATABASE_ENGINE=POSTGRES`, otherwise starts a
 * throwaway cluster (PostgreSQL from apt, run as root). `BENCH_SECONDS` and
 * `BENCH_CONNECTIONS` set the load (5 s, 50); `BENCH_ROUNDS` (3) how
 * often each pair runs, alternating, reporting medians.
 *
 * @module
 */

import postgres from "postgres";
import { hasWrk, type LoadResult, runWrk } from "./bench/wrk.ts";
import {
  loadKeySet,
  memorySecretReader,
  signToken,
  verifyToken,
} from "@thoughts/shared";
import {
  freePort,
  startService,
  startThrowawayPostgres,
} from "@thoughts/shared/testing";

const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const seconds = Deno.env.get("BENCH_SECONDS") ?? "5";
const connections = Deno.env.get("BENCH_CONNECTIONS") ?? "50";
const rounds = Number(Deno.env.get("BENCH_ROUNDS") ?? "3");

async function postgresSettings(): Promise<
  { env: Record<string, string>; stop: () => Promise<void> }
> {
  const names = [
    "POSTGRES_HOST",
    "POSTGRES_PORT",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
  ];
  if (Deno.env.get("DATABASE_ENGINE") === "POSTGRES") {
    return {
      env: Object.fromEntries(names.map((n) => [n, Deno.env.get(n) ?? ""])),
      stop: () => Promise.resolve(),
    };
  }
  const pg = await startThrowawayPostgres();
  return { env: pg.env, stop: async () => await pg[Symbol.asyncDispose]() };
}

const useWrk = await hasWrk();

async function load(
  url: string,
  method = "GET",
  body = "",
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  if (useWrk) {
    return await runWrk(url, {
      method,
      body,
      headers,
      connections: Number(connections),
      seconds: Number(seconds),
    });
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${root}/tools/bench/load.ts`,
      url,
      connections,
      seconds,
      method,
      body,
      JSON.stringify(headers),
    ],
    stdout: "piped",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)) as LoadResult;
}

function rssMb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

if (import.meta.main) {
  const pg = await postgresSettings();
  const suffix = crypto.randomUUID().slice(0, 8);
  const dbs = {
    users: `bench_users_${suffix}`,
    thoughts: `bench_thoughts_${suffix}`,
  };
  const admin = postgres({
    host: pg.env.POSTGRES_HOST,
    port: Number(pg.env.POSTGRES_PORT),
    username: pg.env.POSTGRES_USER,
    password: pg.env.POSTGRES_PASSWORD,
    database: "postgres",
    max: 1,
    onnotice: () => {},
  });
  for (const name of Object.values(dbs)) {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  }
  const common = { APP_ENV: "test", DATABASE_ENGINE: "POSTGRES", ...pg.env };
  const users = await startService(`${root}/users/main.ts`, {
    ...common,
    POSTGRES_DB: dbs.users,
  });
  const thoughts = await startService(`${root}/thoughts/main.ts`, {
    ...common,
    POSTGRES_DB: dbs.thoughts,
  });
  try {
    const json = { "Content-Type": "application/json" };
    const credentials = JSON.stringify({
      username: "bench",
      password: "correct horse",
    });
    await (await fetch(`${users.url}/admin/users/`, {
      method: "POST",
      headers: json,
      body: credentials,
    })).text();
    const { Authorized } = await (await fetch(`${users.url}/api/login/`, {
      method: "POST",
      headers: json,
      body: credentials,
    })).json();
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${thoughts.url}/api/me/thoughts/`, {
        method: "POST",
        headers: { ...json, Authorization: Authorized },
        body: JSON.stringify({
          text: `Benchmark thought number ${i} with some words in it`,
        }),
      });
      await res.text();
    }
    const idle = {
      users: rssMb(users.process.pid),
      thoughts: rssMb(thoughts.process.pid),
    };
    const floorPort = freePort();
    const floor = await startService(`${root}/tools/bench/floor.ts`, {
      ...common,
      POSTGRES_DB: dbs.thoughts,
      USERS_DB: dbs.users,
      PORT: String(floorPort),
    });
    const floorUrl = floor.url;
    const auth = { Authorization: Authorized };
    const scenarios: [
      string,
      () => ReturnType<typeof load>,
      () => ReturnType<typeof load>,
    ][] = [
      [
        "list thoughts (20 rows)",
        () => load(`${thoughts.url}/api/thoughts/?limit=20`),
        () => load(`${floorUrl}/list`),
      ],
      [
        "one thought",
        () => load(`${thoughts.url}/api/thoughts/1/`),
        () => load(`${floorUrl}/one`),
      ],
      [
        "my thoughts (bearer)",
        () =>
          load(`${thoughts.url}/api/me/thoughts/?limit=20`, "GET", "", auth),
        () => load(`${floorUrl}/mine`, "GET", "", auth),
      ],
      [
        "login",
        () => load(`${users.url}/api/login/`, "POST", credentials, json),
        () => load(`${floorUrl}/login`, "POST", credentials, json),
      ],
    ];
    const rows: string[] = [];
    const fmt = (n: number, d = 1) => n.toFixed(d).padStart(8);
    // Service and floor alternate, and each figure is the median of the
    // rounds, so a passing burst of noise on the shared cores moves neither.
    const median = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const summarise = (runs: Awaited<ReturnType<typeof load>>[]) => ({
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      errors: runs.reduce((n, r) => n + r.errors, 0),
    });
    for (const [name, service, base] of scenarios) {
      const serviceRuns = [];
      const floorRuns = [];
      for (let round = 0; round < rounds; round++) {
        serviceRuns.push(await service());
        floorRuns.push(await base());
      }
      const s = summarise(serviceRuns);
      const f = summarise(floorRuns);
      rows.push(
        `${name.padEnd(24)}${fmt(s.rps, 0)}${fmt(s.p50)}${fmt(s.p99)}   |${
          fmt(f.rps, 0)
        }${fmt(f.p50)}${fmt(f.p99)}   |${fmt(s.rps / f.rps, 2)}${
          s.errors + f.errors ? `  errors ${s.errors}/${f.errors}` : ""
        }`,
      );
    }
    const keys = await loadKeySet({
      reader: memorySecretReader({}),
      appEnv: "test",
      signs: true,
    });
    // Distinct tokens measure a full check; the same token again measures
    // what every further request of a client costs.
    const tokens = await Promise.all(
      Array.from(
        { length: 500 },
        (_, i) =>
          signToken(keys, `user${i}`, { lifetime: 3600, now: new Date() }),
      ),
    );
    const time = async (list: string[]) => {
      const started = performance.now();
      for (const token of list) await verifyToken(keys, token, new Date());
      return ((performance.now() - started) * 1000) / list.length;
    };
    const firstUs = await time(tokens);
    const repeatedUs = await time(
      Array.from({ length: 5000 }, (_, i) => tokens[i % tokens.length]!),
    );
    const loaded = {
      users: rssMb(users.process.pid),
      thoughts: rssMb(thoughts.process.pid),
    };
    console.log(
      `\nThoughts benchmark: ${connections} connections, ${seconds} s per run, median of ${rounds} rounds, load from ${
        useWrk
          ? "wrk"
          : "a Deno process (install wrk for less load on the cores)"
      }, PostgreSQL, ${navigator.hardwareConcurrency} cores`,
    );
    console.log(
      `${"".padEnd(24)}${"service req/s   p50 ms  p99 ms".padStart(27)}   |${
        "floor req/s  p50 ms  p99 ms".padStart(27)
      }   |   ratio`,
    );
    for (const row of rows) console.log(row);
    console.log(
      `\ntoken verification (RS256, in process): ${
        firstUs.toFixed(1)
      } µs first time, ` +
        `${repeatedUs.toFixed(1)} µs for a token seen before`,
    );
    console.log(
      `RSS MB: users ${idle.users.toFixed(0)} idle / ${
        loaded.users.toFixed(0)
      } after load; thoughts ${idle.thoughts.toFixed(0)} idle / ${
        loaded.thoughts.toFixed(0)
      } after load`,
    );
    await floor.stop("SIGKILL");
  } finally {
    await users.stop("SIGTERM");
    await thoughts.stop("SIGTERM");
    for (const name of Object.values(dbs)) {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    await admin.end();
    await pg.stop();
  }
}

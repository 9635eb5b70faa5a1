/**
 * `deno task bench:scale`: how the thoughts service's reads grow with data.
 * Seeds 100 and then 1,000,000 thoughts by 10,000 users into a throwaway
 * PostgreSQL (`generate_series`, timed), and loads each read with wrk at 50
 * connections (searches at 16): the first page, a page 5,000 pages deep by cursor, a user's
 * own thoughts, a search for a rare word and one for a common word. Goals:
 * each read at 1 M rows within 2× of its 100-row requests/s, p99 under 50 ms,
 * seeding under 60 s. `BENCH_SECONDS` sets each run's length (5).
 *
 * @module
 */

import { V8_FLAGS } from "../build/services.ts";
import { connect } from "./_connect.ts";
import { parseCli, usageError } from "../cli.ts";
import { loadKeySet, signToken } from "@thoughts/shared/auth";
import { dirSecretReader } from "@thoughts/shared/config";
import {
  startService,
  startThrowawayPostgres,
  TEST_KEYS_DIR,
  type TestRuntime,
} from "@thoughts/testing";
import { hasWrk, type LoadResult, runWrk } from "./_wrk.ts";
import { cpuSplit, pinProcesses } from "./_pin.ts";
import { Teardown } from "../teardown.ts";
import { ROOT } from "../root.ts";

const root = `${ROOT}/`;
const seconds = Number(Deno.env.get("BENCH_SECONDS") ?? "5");
const USERS = 10_000;
// One thought in 100,000 holds the rare word, one in five each common one.
const SEED = (rows: number) => `
  INSERT INTO thoughts (username, text, timestamp)
  SELECT 'user' || (g % ${USERS}),
         'Thought ' || g || ' about ' ||
           (ARRAY['cats', 'rain', 'code', 'tea', 'maps'])[g % 5 + 1] ||
           CASE WHEN g % 100000 = 50 THEN ' and a zephyr' ELSE '' END,
         timestamp '2026-01-01' + g * interval '1 second'
  FROM generate_series(1, ${rows}) AS g`;

interface Row {
  rows: number;
  name: string;
  result: LoadResult;
}

if (import.meta.main) {
  const { values } = parseCli({
    task: "bench:scale",
    synopsis: "[--runtime deno|node|bun]",
    summary:
      "Seeds 100 and then 1,000,000 thoughts into a throwaway PostgreSQL and loads each\nread at 50 connections; BENCH_SECONDS (5) sets each run's length.",
    options: [["--runtime R", "what runs the service (default: deno)"]],
    example: "deno task bench:scale --runtime node",
  }, {
    args: Deno.args,
    options: { runtime: { type: "string", default: "deno" } },
  });
  const runtime = values.runtime as TestRuntime;
  if (!["deno", "node", "bun"].includes(runtime)) {
    usageError(
      "bench:scale",
      `--runtime is 'deno', 'node' or 'bun', got '${values.runtime}'`,
    );
  }
  if (!(await hasWrk())) {
    console.error("bench:scale needs wrk (apt-get install wrk)");
    Deno.exit(1);
  }
  // Stopped by a signal or its parent's death, it stops what it started.
  const teardown = new Teardown();
  teardown.exitOnStop((why) =>
    console.error(`bench:scale: stopping on ${why}`)
  );
  await teardown.main(() => scale(teardown, runtime));
}

interface Crowd {
  rows: number;
  p99: number;
  rps: number;
  health: number;
}

async function scale(
  teardown: Teardown,
  runtime: TestRuntime,
): Promise<void> {
  const pg = await startThrowawayPostgres();
  teardown.defer(() => pg[Symbol.asyncDispose]());
  const split = await cpuSplit();
  if (split) await pinProcesses([await pg.pid()], split.others);
  const admin = connect(pg.env, "postgres");
  teardown.defer(() => admin.end());
  const keys = await loadKeySet({
    reader: dirSecretReader(TEST_KEYS_DIR),
    appEnv: "test",
    signs: true,
  });
  const auth = {
    Authorization: `Bearer ${await signToken(keys, "user42", {
      lifetime: 3600,
      now: new Date(),
    })}`,
  };
  const results: Row[] = [];
  const crowd: Crowd[] = [];
  const seeding: string[] = [];
  for (const rows of [100, 1_000_000]) {
    const db = `scale_${rows}`;
    await admin.unsafe(`CREATE DATABASE ${db}`);
    // The service's own migrations make the table and its indexes first.
    const thoughts = await startService(
      `${root}thoughts/main.ts`,
      {
        APP_ENV: "test",
        DATABASE_ENGINE: "POSTGRES",
        POSTGRES_DB: db,
        DENO_V8_FLAGS: V8_FLAGS,
        ...pg.env,
      },
      { stdout: "discard", runtime },
    );
    teardown.defer(() => thoughts.stop("SIGTERM"));
    if (split) {
      await pinProcesses([Deno.pid], split.others);
      await pinProcesses([thoughts.process.pid], split.servers);
    }
    seeding.push(await seedRows(pg.env, db, rows));
    results.push(...await loadReads(thoughts.url, rows, auth));
    crowd.push(await searchCrowd(thoughts.url, rows));
    await thoughts.stop("SIGTERM");
  }
  console.log(
    `\nThoughts at scale on ${runtime}: PostgreSQL, wrk, 50 connections, ${seconds} s per run, ${navigator.hardwareConcurrency} cores${
      split ? ` (service on CPU ${split.servers})` : ""
    }`,
  );
  for (const line of seeding) console.log(line);
  for (const line of [...readsTable(results), ...crowdTable(crowd)]) {
    console.log(line);
  }
}

// Seeds the rows, timed, and says how long it took.
async function seedRows(
  env: Record<string, string>,
  db: string,
  rows: number,
): Promise<string> {
  const sql = connect(env, db);
  const started = performance.now();
  await sql.unsafe(SEED(rows));
  // As autovacuum would soon: the GIN pending list merged, statistics read.
  await sql.unsafe("VACUUM ANALYZE thoughts");
  await sql.end();
  return `${rows.toLocaleString("en")} rows seeded in ${
    ((performance.now() - started) / 1000).toFixed(1)
  } s (with the indexes, then VACUUM ANALYZE)`;
}

// Each read alone, after a 2 s warm-up.
async function loadReads(
  url: string,
  rows: number,
  auth: Record<string, string>,
): Promise<Row[]> {
  // 5,000 pages of 20 below the newest, or as deep as 100 rows go.
  const deep = Math.max(rows - 5_000 * 20, 50);
  const reads: [string, string, Record<string, string>][] = [
    ["first page", "/api/thoughts/?limit=20", {}],
    ["5,000 pages deep", `/api/thoughts/?limit=20&before=${deep}`, {}],
    ["a user's own", "/api/me/thoughts/?limit=20", auth],
    ["rare word", "/api/thoughts/?limit=20&search=zephyr", {}],
    ["common word", "/api/thoughts/?limit=20&search=code", {}],
  ];
  const results: Row[] = [];
  for (const [name, path, headers] of reads) {
    // Searches at 16 clients: each replica runs a few at once by design.
    const connections = path.includes("search=") ? 16 : 50;
    const options = { method: "GET", body: "", headers, connections };
    await runWrk(url + path, { ...options, seconds: 2 });
    const result = await runWrk(url + path, { ...options, seconds });
    results.push({ rows, name, result });
  }
  return results;
}

// 16 clients searching at once (a rare word, a common one, and one too
// short to search, refused), while /healthz is asked alone beside them.
async function searchCrowd(url: string, rows: number): Promise<Crowd> {
  const searching = await Promise.all([
    ...["zephyr", "code", "_"].map((word, i) =>
      runWrk(`${url}/api/thoughts/?limit=20&search=${word}`, {
        connections: [6, 6, 4][i]!,
        seconds,
      })
    ),
    runWrk(`${url}/healthz`, { connections: 1, seconds }),
  ]);
  return {
    rows,
    p99: Math.max(...searching.slice(0, 3).map((r) => r.p99)),
    rps: searching.slice(0, 3).reduce((sum, r) => sum + r.rps, 0),
    health: searching[3]!.p99,
  };
}

function readsTable(results: Row[]): string[] {
  const at = (rows: number, name: string) =>
    results.find((r) => r.rows === rows && r.name === name)!.result;
  const cells = (r: LoadResult) =>
    `${r.rps.toFixed(0).padStart(15)}${r.p50.toFixed(1).padStart(6)}${
      r.p99.toFixed(1).padStart(6)
    }`;
  const lines = [
    `${"".padEnd(18)}${"100 rows: req/s  p50  p99".padStart(27)}  |${
      "1 M rows: req/s  p50  p99".padStart(27)
    }  | ratio`,
  ];
  for (const name of [...new Set(results.map((r) => r.name))]) {
    const [small, big] = [at(100, name), at(1_000_000, name)];
    const errors = big.errors + small.errors
      ? `  errors ${small.errors}/${big.errors}`
      : "";
    lines.push(
      `${name.padEnd(18)}${cells(small)}  |${cells(big)}  | ${
        (big.rps / small.rps).toFixed(2)
      }${errors}`,
    );
  }
  return lines;
}

function crowdTable(crowd: Crowd[]): string[] {
  return [
    "\n16 clients searching at once (6 a rare word, 6 a common one, 4 one too short, refused); goals: p99 under 250 ms, /healthz p99 under 50 ms:",
    ...crowd.map((c) =>
      `${c.rows.toLocaleString("en").padStart(9)} rows: ${
        c.rps.toFixed(0)
      } searches/s, p99 ${c.p99.toFixed(1)} ms; /healthz p99 ${
        c.health.toFixed(1)
      } ms`
    ),
  ];
}

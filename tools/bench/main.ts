/**
 * `deno task bench [--runtime deno,node,bun] [--profile]`: the services'
 * reads on a real PostgreSQL, on each runtime asked, side by side in one run
 * with the framework users would pick instead (Fastify 5 on Node 26 doing
 * our per-request duties, `peer.ts`) and a floor (a bare `Deno.serve` on the
 * same store, `floor.ts`); then their memory under load. Load from wrk; each
 * round loads every server in turn, alone, and reads its CPU time per
 * request. `--profile` instead takes a CPU profile of each endpoint under
 * load on each runtime and lists the top functions.
 *
 * @module
 */

import { parseCli, usageError } from "../cli.ts";
import { progress } from "../progress.ts";
import { Teardown } from "../teardown.ts";
import { denoBundle, runtimeExecutable } from "../build/runtime.ts";
import { V8_FLAGS } from "../build/services.ts";
import { connect } from "./connect.ts";
import { cpuReader } from "./cpu.ts";
import { median } from "./median.ts";
import { memoryTable, memoryUnderLoad } from "./memory.ts";
import { cpuSplit, pinProcesses } from "./pin.ts";
import { folderHotspots } from "./profile.ts";
import { hasWrk, type LoadResult, runWrk } from "./wrk.ts";
import { signToken } from "@thoughts/shared/auth";
import {
  freePort,
  loadTestKeys,
  postThought,
  startService,
  startThrowawayPostgres,
  TEST_KEYS_DIR,
  type TestRuntime,
  usersApi,
} from "@thoughts/testing";
import { ROOT } from "../root.ts";

const root = `${ROOT}/`;
const env = (name: string, fallback: string) =>
  Number(Deno.env.get(name) ?? fallback);
const SECONDS = env("BENCH_SECONDS", "3");
const CONNECTIONS = env("BENCH_CONNECTIONS", "50");
const ROUNDS = env("BENCH_ROUNDS", "7");
const MEMORY_SECONDS = env("BENCH_MEMORY_SECONDS", "60");
const SETTLE_SECONDS = env("BENCH_SETTLE_SECONDS", "30");
/** Distinct tokens, more than the services' cache of verified ones keeps. */
const FRESH_TOKENS = 12_000;

const ENDPOINTS = {
  list: "list (20 rows)",
  one: "one thought",
  mine: "my thoughts, one token",
  fresh: "my thoughts, a new token each request",
} as const;
type Endpoint = keyof typeof ENDPOINTS;

/** A server under load and where each endpoint is on it. */
interface Server {
  name: string;
  url: string;
  pid: number;
  paths: Record<Endpoint, string>;
}

const OURS = {
  list: "/api/thoughts/?limit=20",
  one: "/api/thoughts/1/",
  mine: "/api/me/thoughts/?limit=20",
  fresh: "/api/me/thoughts/?limit=20",
};

const say = (line: string) => progress("bench", line);

if (import.meta.main) {
  const { values } = parseCli({
    task: "bench",
    synopsis: "[--runtime deno,node,bun] [--profile]",
    summary:
      "Loads the services' reads on a real PostgreSQL, on each runtime, beside Fastify 5 doing\nthe same duties and a bare floor, then their memory; about 12 minutes. Settings come from\nthe environment: BENCH_SECONDS (3), BENCH_CONNECTIONS (50), BENCH_ROUNDS (7),\nBENCH_MEMORY_SECONDS (60), BENCH_SETTLE_SECONDS (30), DATABASE_ENGINE=POSTGRES with\nPOSTGRES_* for an existing server.",
    options: [
      [
        "--runtime LIST",
        "what runs the services, side by side (default: deno,node)",
      ],
      ["--profile", "CPU profiles of each endpoint instead: the top functions"],
    ],
    example: "BENCH_ROUNDS=3 deno task bench --runtime deno,node,bun",
  }, {
    args: Deno.args,
    options: {
      runtime: { type: "string", default: "deno,node" },
      profile: { type: "boolean", default: false },
    },
  });
  const runtimes = values.runtime.split(",") as TestRuntime[];
  if (!runtimes.every((r) => ["deno", "node", "bun"].includes(r))) {
    usageError(
      "bench",
      `--runtime is a list of 'deno', 'node' and 'bun', got '${values.runtime}'`,
    );
  }
  if (!(await hasWrk())) {
    usageError("bench", "wrk is needed: apt-get install wrk");
  }
  const teardown = new Teardown();
  teardown.exitOnStop((why) => say(`stopping on ${why}`));
  await teardown.main(() =>
    values.profile ? profile(teardown, runtimes) : bench(teardown, runtimes)
  );
}

// The database: the tests' server (DATABASE_ENGINE=POSTGRES) or a
// throwaway cluster, pinned beside the load; two databases of the bench's own.
async function database(teardown: Teardown, split?: { others: string }) {
  let pgEnv: Record<string, string>;
  if (Deno.env.get("DATABASE_ENGINE") === "POSTGRES") {
    pgEnv = Object.fromEntries(
      ["POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD"]
        .map((n) => [n, Deno.env.get(n) ?? ""]),
    );
  } else {
    const pg = await startThrowawayPostgres();
    teardown.defer(() => pg[Symbol.asyncDispose]());
    pgEnv = pg.env;
    if (split) await pinProcesses([await pg.pid()], split.others);
  }
  const suffix = crypto.randomUUID().slice(0, 8);
  const dbs = {
    users: `bench_users_${suffix}`,
    thoughts: `bench_thoughts_${suffix}`,
  };
  const admin = connect(pgEnv, "postgres");
  for (const name of Object.values(dbs)) {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  }
  teardown.defer(async () => {
    for (const name of Object.values(dbs)) {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    await admin.end();
  });
  // As the images run: the V8 heap bounds; logins from this one address
  // stand for many people's.
  const common = {
    APP_ENV: "test",
    DATABASE_ENGINE: "POSTGRES",
    DENO_V8_FLAGS: V8_FLAGS,
    LOGIN_HASH_PER_CLIENT: "64",
    ...pgEnv,
  };
  return { common, dbs };
}

// Users and thoughts on one runtime; stdout (the access log) to /dev/null.
async function services(
  teardown: Teardown,
  runtime: TestRuntime,
  db: Awaited<ReturnType<typeof database>>,
  flags: string[] = [],
) {
  const start = async (service: string, name: string) => {
    const server = await startService(`${root}${service}/main.ts`, {
      ...db.common,
      POSTGRES_DB: name,
    }, { stdout: "discard", runtime, flags });
    teardown.defer(() => server.stop("SIGTERM"));
    return server;
  };
  return {
    users: await start("users", db.dbs.users),
    thoughts: await start("thoughts", db.dbs.thoughts),
  };
}

// An account, 100 thoughts, its token, and the fresh tokens' file.
async function seed(teardown: Teardown, usersUrl: string, thoughtsUrl: string) {
  const api = usersApi(usersUrl);
  await api.createUser("bench", "correct horse");
  for (let i = 0; i < 16; i++) {
    await api.createUser(`bench${i}`, "correct horse");
  }
  const authorized = await api.login("bench", "correct horse");
  for (let i = 0; i < 100; i++) {
    await postThought(
      thoughtsUrl,
      authorized,
      `Benchmark thought ${i} with some words in it`,
    );
  }
  const keys = await loadTestKeys(true);
  const tokens: string[] = [];
  // RS256 signatures are deterministic: each token its own second.
  while (tokens.length < FRESH_TOKENS) {
    const base = Date.now() - tokens.length * 1000;
    tokens.push(
      ...await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          signToken(keys, "bench", {
            lifetime: 86_400,
            now: new Date(base - i * 1000),
          })),
      ),
    );
  }
  const file = await Deno.makeTempFile({ prefix: "bench_tokens_" });
  teardown.defer(() => Deno.remove(file));
  await Deno.writeTextFile(
    file,
    tokens.map((t) => `Bearer ${t}`).join("\n") + "\n",
  );
  return { authorized, file };
}

// Fastify doing our duties, bundled and run by the pinned Node.
async function peer(
  teardown: Teardown,
  common: Record<string, string>,
  database: string,
) {
  const bundle = `${root}dist/bench/peer.js`;
  const failed = await denoBundle(`${root}tools/bench/peer.ts`, bundle, root);
  if (failed) throw new Error(`Cannot bundle the peer: ${failed}`);
  const node = await runtimeExecutable(`${root}dist/.cache`, "node");
  const port = freePort();
  const child = new Deno.Command(node, {
    args: [...V8_FLAGS.split(","), bundle],
    env: {
      ...common,
      POSTGRES_DB: database,
      PORT: String(port),
      SECRETS_DIR: TEST_KEYS_DIR,
    },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  teardown.defer(async () => {
    child.kill("SIGTERM");
    await child.status;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`${url}/readyz`).then(
      (r) => (r.body?.cancel(), r.ok),
      () => false,
    );
    if (up) return { url, pid: child.pid };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("The Fastify peer did not get ready");
}

type Run = LoadResult & { cpuUs: number };

async function bench(
  teardown: Teardown,
  runtimes: TestRuntime[],
): Promise<void> {
  const split = await cpuSplit();
  const db = await database(teardown, split);
  say(
    `starting the services on ${runtimes.join(", ")}, the peer and the floor`,
  );
  const ours = [];
  for (const runtime of runtimes) {
    ours.push({ runtime, ...await services(teardown, runtime, db) });
  }
  const { authorized, file } = await seed(
    teardown,
    ours[0]!.users.url,
    ours[0]!.thoughts.url,
  );
  const fastify = await peer(teardown, db.common, db.dbs.thoughts);
  const floor = await startService(`${root}tools/bench/floor.ts`, {
    ...db.common,
    POSTGRES_DB: db.dbs.thoughts,
    USERS_DB: db.dbs.users,
  }, { stdout: "discard", runtime: "deno" });
  teardown.defer(() => floor.stop("SIGKILL"));
  const servers: Server[] = [
    ...ours.map((o) => ({
      name: `thoughts on ${o.runtime}`,
      url: o.thoughts.url,
      pid: o.thoughts.process.pid,
      paths: OURS,
    })),
    {
      name: "Fastify + duties (node)",
      url: fastify.url,
      pid: fastify.pid,
      paths: OURS,
    },
    {
      name: "floor (deno)",
      url: floor.url,
      pid: floor.process.pid,
      paths: { list: "/list", one: "/one", mine: "/mine", fresh: "/mine" },
    },
  ];
  if (split) {
    // This process first: wrk, started from here, inherits its CPUs.
    await pinProcesses([Deno.pid], split.others);
    await pinProcesses(servers.map((s) => s.pid), split.servers);
  }
  const cpu = await cpuReader();
  const load = async (
    server: Server,
    endpoint: Endpoint,
    seconds: number,
  ): Promise<Run> => {
    const before = cpu(server.pid);
    const result = await runWrk(server.url + server.paths[endpoint], {
      ...(endpoint === "fresh"
        ? { cycle: { header: "Authorization", file } }
        : { headers: { Authorization: authorized } }),
      connections: CONNECTIONS,
      seconds,
    });
    return {
      ...result,
      cpuUs: ((cpu(server.pid) - before) * 1e6) / Math.max(1, result.requests),
    };
  };
  const lines: string[] = [];
  for (
    const [step, endpoint] of (Object.keys(ENDPOINTS) as Endpoint[]).entries()
  ) {
    say(
      `[${step + 1}/4] ${
        ENDPOINTS[endpoint]
      }: ${ROUNDS} rounds of ${servers.length} servers`,
    );
    for (const server of servers) await load(server, endpoint, 2);
    const runs = servers.map(() => [] as Run[]);
    for (let round = 0; round < ROUNDS; round++) {
      // Each round in another order: none always follows the same one.
      for (let k = 0; k < servers.length; k++) {
        const i = (k + round) % servers.length;
        runs[i]!.push(await load(servers[i]!, endpoint, SECONDS));
      }
    }
    lines.push(...table(ENDPOINTS[endpoint], servers, runs));
  }
  say(
    `memory: ${MEMORY_SECONDS} s of mixed reads and logins on each runtime, then ${SETTLE_SECONDS} s idle`,
  );
  const memory = [];
  for (const o of ours) {
    const reads = (path: string, c: number) =>
      runWrk(o.thoughts.url + path, {
        headers: { Authorization: authorized },
        connections: c,
        seconds: MEMORY_SECONDS,
      });
    const logins = runWrk(`${o.users.url}/api/login/`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: Array.from(
        { length: 16 },
        (_, i) =>
          JSON.stringify({ username: `bench${i}`, password: "correct horse" }),
      ).join("\n"),
      connections: 8,
      seconds: MEMORY_SECONDS,
    });
    const [users, thoughts] = await memoryUnderLoad(
      [o.users.process.pid, o.thoughts.process.pid],
      () =>
        Promise.all([
          reads(OURS.list, 17),
          reads(OURS.one, 17),
          reads(OURS.mine, 16),
          logins,
        ]),
      SETTLE_SECONDS,
    );
    memory.push(
      [`users on ${o.runtime}`, users!] as const,
      [`thoughts on ${o.runtime}`, thoughts!] as const,
    );
  }
  console.log(
    `\nThoughts benchmark: ${CONNECTIONS} connections, ${SECONDS} s a run, ${ROUNDS} rounds, wrk, PostgreSQL, ${navigator.hardwareConcurrency} cores${
      split
        ? ` (servers pinned to CPU ${split.servers}, the database and wrk to CPU ${split.others})`
        : ""
    }. Each round loads every server alone, in turn; medians, with the first and last round's CPU time.`,
  );
  console.log(
    `${
      "".padEnd(40)
    }   req/s   p99 ms   CPU µs/req (first→last)   × peer (range)   × floor`,
  );
  for (const line of lines) console.log(line);
  console.log(
    `\n× peer, × floor: the other's CPU time per request over ours, round by round (above 1: ours does the work on less CPU).`,
  );
  console.log(
    `\nMemory, V8 ${V8_FLAGS}. Goal: peak at most 120 MB and 1.5 × idle, back within 10 % of idle:`,
  );
  for (
    const line of memoryTable(memory.map(([n, f]) => [n, f]), SETTLE_SECONDS)
  ) console.log(line);
}

// One endpoint's rows: each server's medians, and ours against the peer and the floor.
function table(title: string, servers: Server[], runs: Run[][]): string[] {
  const peerAt = servers.findIndex((s) => s.name.startsWith("Fastify"));
  const floorAt = servers.findIndex((s) => s.name.startsWith("floor"));
  const ratio = (i: number, j: number) => {
    const each = runs[i]!.map((run, r) => runs[j]![r]!.cpuUs / run.cpuUs);
    return {
      mid: median(each),
      low: Math.min(...each),
      high: Math.max(...each),
    };
  };
  const rows = [title];
  servers.forEach((server, i) => {
    const mine = runs[i]!;
    const n = (x: number, d = 0) =>
      x.toLocaleString("en-US", {
        maximumFractionDigits: d,
        minimumFractionDigits: d,
      });
    const errors = mine.reduce((sum, run) => sum + run.errors, 0);
    const cells = [
      `  ${server.name.padEnd(38)}`,
      n(median(mine.map((r) => r.rps))).padStart(8),
      n(median(mine.map((r) => r.p99)), 1).padStart(9),
      `${n(median(mine.map((r) => r.cpuUs))).padStart(7)} (${
        n(mine[0]!.cpuUs)
      }→${n(mine.at(-1)!.cpuUs)})`.padEnd(26),
    ];
    if (i !== peerAt && i !== floorAt) {
      const p = ratio(i, peerAt);
      cells.push(
        `${n(p.mid, 2).padStart(8)} (${n(p.low, 2)}–${n(p.high, 2)})`,
        n(ratio(i, floorAt).mid, 2).padStart(8),
      );
    }
    if (errors > 0) cells.push(`  errors ${errors}`);
    rows.push(cells.join(" "));
  });
  return rows;
}

// CPU profiles of each endpoint under load, on each runtime: the top
// functions of the thoughts service, started anew for each.
async function profile(
  teardown: Teardown,
  runtimes: TestRuntime[],
): Promise<void> {
  const db = await database(teardown);
  const seeding = await services(teardown, "deno", db);
  const seeded = await seed(teardown, seeding.users.url, seeding.thoughts.url);
  await seeding.thoughts.stop("SIGTERM");
  for (const runtime of runtimes) {
    for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
      const dir = await Deno.makeTempDir({ prefix: "bench_profile_" });
      teardown.defer(() => Deno.remove(dir, { recursive: true }));
      const thoughts = await startService(`${root}thoughts/main.ts`, {
        ...db.common,
        POSTGRES_DB: db.dbs.thoughts,
      }, {
        stdout: "discard",
        runtime,
        flags: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
      });
      say(`profile: ${ENDPOINTS[endpoint]} on ${runtime}, ${SECONDS * 3} s`);
      await runWrk(thoughts.url + OURS[endpoint], {
        ...(endpoint === "fresh"
          ? { cycle: { header: "Authorization", file: seeded.file } }
          : { headers: { Authorization: seeded.authorized } }),
        connections: CONNECTIONS,
        seconds: SECONDS * 3,
      });
      // A clean exit writes the profile.
      await thoughts.stop("SIGTERM");
      console.log(
        `\n${
          ENDPOINTS[endpoint]
        } on ${runtime}: the top functions by self time`,
      );
      for (const spot of await folderHotspots(dir, 12)) {
        console.log(
          `  ${(spot.share * 100).toFixed(1).padStart(5)} %  ${spot.name}`,
        );
      }
    }
  }
}

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
import { V8_FLAGS } from "../build/services.ts";
import { cpuReader } from "./_cpu.ts";
import { median } from "./_median.ts";
import { type MemoryFigures, memoryTable, memoryUnderLoad } from "./_memory.ts";
import { cpuSplit, pinProcesses } from "./_pin.ts";
import {
  costlier,
  folderHotspots,
  type Hotspot,
  perRequest,
} from "./_profile.ts";
import { hasWrk, type LoadResult, runWrk } from "./_wrk.ts";
import {
  type Database,
  database,
  peer,
  seed,
  type Seeded,
  services,
  startFloor,
} from "./_setup.ts";
import { startService, type TestRuntime } from "@thoughts/testing";
import { ROOT } from "../root.ts";

const root = `${ROOT}/`;
const env = (name: string, fallback: string) =>
  Number(Deno.env.get(name) ?? fallback);
const SECONDS = env("BENCH_SECONDS", "3");
const CONNECTIONS = env("BENCH_CONNECTIONS", "50");
const ROUNDS = env("BENCH_ROUNDS", "7");
const MEMORY_SECONDS = env("BENCH_MEMORY_SECONDS", "60");
const SETTLE_SECONDS = env("BENCH_SETTLE_SECONDS", "30");

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

// The token each request carries: the same one, or a new one from the file.
const authorization = (
  endpoint: Endpoint,
  seeded: Seeded,
) =>
  endpoint === "fresh"
    ? { cycle: { header: "Authorization", file: seeded.file } }
    : { headers: { Authorization: seeded.authorized } };

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

type Run = LoadResult & { cpuUs: number };
type Ours = { runtime: TestRuntime } & Awaited<ReturnType<typeof services>>;

async function bench(
  teardown: Teardown,
  runtimes: TestRuntime[],
): Promise<void> {
  const split = await cpuSplit();
  const db = await database(teardown, split);
  say(
    `starting the services on ${runtimes.join(", ")}, the peer and the floor`,
  );
  const ours: Ours[] = [];
  for (const runtime of runtimes) {
    ours.push({ runtime, ...await services(teardown, runtime, db) });
  }
  const seeded = await seed(
    teardown,
    ours[0]!.users.url,
    ours[0]!.thoughts.url,
  );
  const servers = await contenders(teardown, db, ours);
  if (split) {
    // This process first: wrk, started from here, inherits its CPUs.
    await pinProcesses([Deno.pid], split.others);
    await pinProcesses(servers.map((s) => s.pid), split.servers);
  }
  const lines = await rounds(servers, seeded);
  say(
    `memory: ${MEMORY_SECONDS} s of mixed reads and logins on each runtime, then ${SETTLE_SECONDS} s idle`,
  );
  const memory = [];
  for (const o of ours) memory.push(...await memoryOf(o, seeded.authorized));
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
  for (const line of memoryTable(memory, SETTLE_SECONDS)) console.log(line);
}

// Ours on each runtime, the peer and the floor, as the rounds load them.
async function contenders(
  teardown: Teardown,
  db: Database,
  ours: Ours[],
): Promise<Server[]> {
  const fastify = await peer(teardown, db);
  const floor = await startFloor(teardown, db);
  return [
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
}

// Each endpoint: a warm-up, then ROUNDS rounds of every server in turn.
async function rounds(
  servers: Server[],
  seeded: Seeded,
): Promise<string[]> {
  const cpu = await cpuReader();
  const load = async (
    server: Server,
    endpoint: Endpoint,
    seconds: number,
  ): Promise<Run> => {
    const before = cpu(server.pid);
    const result = await runWrk(server.url + server.paths[endpoint], {
      ...authorization(endpoint, seeded),
      connections: CONNECTIONS,
      seconds,
    });
    return {
      ...result,
      cpuUs: ((cpu(server.pid) - before) * 1e6) / Math.max(1, result.requests),
    };
  };
  const lines: string[] = [];
  const endpoints = Object.keys(ENDPOINTS) as Endpoint[];
  for (const [step, endpoint] of endpoints.entries()) {
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
  return lines;
}

// One runtime's users and thoughts under mixed reads and logins.
async function memoryOf(
  o: Ours,
  authorized: string,
): Promise<[string, MemoryFigures][]> {
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
  return [[`users on ${o.runtime}`, users!], [
    `thoughts on ${o.runtime}`,
    thoughts!,
  ]];
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
// functions of the thoughts service, started anew for each; on Deno, list
// and one thought also beside the floor's, function by function.
async function profile(
  teardown: Teardown,
  runtimes: TestRuntime[],
): Promise<void> {
  const db = await database(teardown);
  const seeding = await services(teardown, "deno", db);
  const seeded = await seed(teardown, seeding.users.url, seeding.thoughts.url);
  await seeding.thoughts.stop("SIGTERM");
  const env = { ...db.common, POSTGRES_DB: db.dbs.thoughts };
  const floorEnv = { ...env, USERS_DB: db.dbs.users };
  for (const runtime of runtimes) {
    for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
      say(`profile: ${ENDPOINTS[endpoint]} on ${runtime}, ${SECONDS * 3} s`);
      const ours = await profiled(teardown, "thoughts/main.ts", env, runtime, {
        endpoint,
        path: OURS[endpoint],
        seeded,
      });
      console.log(
        `\n${ENDPOINTS[endpoint]} on ${runtime} (${
          ours.cpuUs.toFixed(0)
        } CPU µs/req): the top functions by self time`,
      );
      for (const spot of ours.spots.slice(0, 12)) {
        console.log(
          `  ${(spot.share * 100).toFixed(1).padStart(5)} %  ${spot.name}`,
        );
      }
      if (runtime !== "deno" || (endpoint !== "list" && endpoint !== "one")) {
        continue;
      }
      const floor = await profiled(
        teardown,
        "tools/bench/floor.ts",
        floorEnv,
        "deno",
        {
          endpoint,
          path: `/${endpoint}`,
          seeded,
        },
      );
      console.log(
        `  against the floor (${
          floor.cpuUs.toFixed(0)
        } CPU µs/req), µs per request where ours spends more:`,
      );
      const rows = costlier(
        perRequest(ours.spots, ours.cpuUs),
        perRequest(floor.spots, floor.cpuUs),
      );
      for (const [name, a, b] of rows) {
        console.log(
          `  ${a.toFixed(2).padStart(6)} ${b.toFixed(2).padStart(6)}  ${name}`,
        );
      }
    }
  }
}

// One server, started anew with --cpu-prof, under one endpoint's load: its
// hotspots and its CPU time per request.
async function profiled(
  teardown: Teardown,
  entry: string,
  env: Record<string, string>,
  runtime: TestRuntime,
  load: {
    endpoint: Endpoint;
    path: string;
    seeded: Seeded;
  },
): Promise<{ spots: Hotspot[]; cpuUs: number }> {
  const dir = await Deno.makeTempDir({ prefix: "bench_profile_" });
  teardown.defer(() => Deno.remove(dir, { recursive: true }));
  const server = await startService(`${root}${entry}`, env, {
    stdout: "discard",
    runtime,
    flags: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
  });
  const cpu = await cpuReader();
  const before = cpu(server.process.pid);
  const result = await runWrk(server.url + load.path, {
    ...authorization(load.endpoint, load.seeded),
    connections: CONNECTIONS,
    seconds: SECONDS * 3,
  });
  const cpuUs = ((cpu(server.process.pid) - before) * 1e6) /
    Math.max(1, result.requests);
  // A clean exit writes the profile.
  await server.stop("SIGTERM");
  return { spots: await folderHotspots(dir, 80), cpuUs };
}

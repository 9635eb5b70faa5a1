/**
 * `deno task bench`: the services against a real PostgreSQL, loaded from a
 * separate process, each endpoint side by side with its floor (a bare
 * `Deno.serve` running the same SQL through the same driver), plus the cost
 * of one token verification and the services' memory. Uses the
 * `POSTGRES_*` settings when `DATABASE_ENGINE=POSTGRES`, otherwise starts a
 * throwaway cluster (PostgreSQL from apt, run as root). `BENCH_SECONDS` and
 * `BENCH_CONNECTIONS` set the load (3 s, 50); `BENCH_ROUNDS` (7) how
 * often each pair runs: alone, alternating, after a warm-up, for requests/s
 * and latency; then both at once for the ratio. Medians are reported.
 * With `taskset` and two cores or more, the servers get the first core and
 * the database and load generator the others; run as root, each server also
 * gets a CPU cgroup of its own, so paired runs split that core evenly.
 *
 * @module
 */

import { connect } from "./connect.ts";
import { parseCli, usageError } from "../cli.ts";
import { cpuGroups } from "./cgroup.ts";
import { cpuReader, settle } from "./cpu.ts";
import { median } from "./median.ts";
import { cpuSplit, pinProcesses } from "./pin.ts";
import { timeTokens } from "./tokens.ts";
import { hasWrk, type LoadResult, runWrk } from "./wrk.ts";
import { progress } from "../progress.ts";
import { memoryTable, memoryUnderLoad, rssMb } from "./memory.ts";
import { V8_FLAGS } from "../build/services.ts";
import { Teardown } from "../teardown.ts";
import { LAYERS } from "./layers.ts";
import {
  freePort,
  type ServiceProcess,
  startService,
  startThrowawayPostgres,
  type TestRuntime,
} from "@thoughts/testing";
import { postThought, usersApi } from "@thoughts/testing";

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const seconds = Deno.env.get("BENCH_SECONDS") ?? "3";
const connections = Deno.env.get("BENCH_CONNECTIONS") ?? "50";
const rounds = Number(Deno.env.get("BENCH_ROUNDS") ?? "7");
const memorySeconds = Deno.env.get("BENCH_MEMORY_SECONDS") ?? "60";
const settleSeconds = Number(Deno.env.get("BENCH_SETTLE_SECONDS") ?? "30");

async function postgresSettings(): Promise<
  {
    env: Record<string, string>;
    stop: () => Promise<void>;
    pid?: () => Promise<number>;
  }
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
  return {
    env: pg.env,
    stop: async () => await pg[Symbol.asyncDispose](),
    pid: pg.pid,
  };
}

const useWrk = await hasWrk();

/** A load run with the server's CPU time per answered request. */
type Measured = LoadResult & { cpuUs: number };

async function load(
  url: string,
  method = "GET",
  body = "",
  headers: Record<string, string> = {},
  duration = seconds,
  clients = connections,
): Promise<LoadResult> {
  if (useWrk) {
    return await runWrk(url, {
      method,
      body,
      headers,
      connections: Number(clients),
      seconds: Number(duration),
    });
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${root}/tools/bench/load.ts`,
      url,
      clients,
      duration,
      method,
      body,
      JSON.stringify(headers),
    ],
    stdout: "piped",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)) as LoadResult;
}

// What the bench is doing, on stderr: the results alone go to stdout.
const say = (line: string) => progress("bench", line);

if (import.meta.main) {
  const { values } = parseCli({
    task: "bench",
    synopsis: "[--runtime deno|node|bun]",
    summary:
      "Loads users and thoughts on a real PostgreSQL side by side with a bare Deno.serve\nfloor, then one thought layer by layer and their memory under load; about 12 minutes. Settings come from\nthe environment: BENCH_SECONDS (3), BENCH_CONNECTIONS (50), BENCH_ROUNDS (7),\nBENCH_MEMORY_SECONDS (60), BENCH_SETTLE_SECONDS (30), DATABASE_ENGINE=POSTGRES with\nPOSTGRES_* for an existing server.",
    options: [[
      "--runtime R",
      "what runs users and thoughts: deno (default), node or bun (their bundles)",
    ]],
    example: "BENCH_ROUNDS=3 deno task bench --runtime node",
  }, {
    args: Deno.args,
    options: { runtime: { type: "string", default: "deno" } },
  });
  const runtime = values.runtime as TestRuntime;
  if (!["deno", "node", "bun"].includes(runtime)) {
    usageError(
      "bench",
      `--runtime is 'deno', 'node' or 'bun', got '${values.runtime}'`,
    );
  }
  // Stopped on SIGINT, SIGTERM or SIGHUP too (a terminal, `timeout`, a CI
  // runner) or when its parent dies: nothing the bench started outlives it.
  const teardown = new Teardown();
  teardown.exitOnStop((why) => say(`stopping on ${why}`));
  say(
    `plan: 4 endpoints, each 2 warm-ups of 2 s and ${rounds} rounds of 3 runs of ${seconds} s; one thought through 5 servers, layer by layer, each a warm-up of 5 s and ${rounds} runs of ${seconds} s beside the floor; the token timing, then memory under ${memorySeconds} s of load twice (about ${
      Math.ceil(
        (4 * (4 + rounds * (3 * Number(seconds) + 3)) +
          5 * (5 + rounds * (Number(seconds) + 1)) +
          2 * (Number(memorySeconds) + settleSeconds)) / 60,
      )
    } min)`,
  );
  await teardown.main(() => bench(teardown, runtime));
}

// The bench itself: everything it starts is undone by `teardown`.
async function bench(teardown: Teardown, runtime: TestRuntime): Promise<void> {
  const pg = await postgresSettings();
  teardown.defer(pg.stop);
  const split = await cpuSplit();
  // Sessions are forked from the server's main process and inherit its CPUs;
  // an outside server (DATABASE_ENGINE=POSTGRES) is left alone.
  if (split && pg.pid) await pinProcesses([await pg.pid()], split.others);
  const suffix = crypto.randomUUID().slice(0, 8);
  const dbs = {
    users: `bench_users_${suffix}`,
    thoughts: `bench_thoughts_${suffix}`,
  };
  const admin = connect(pg.env, "postgres");
  for (const name of Object.values(dbs)) {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  }
  // On an outside server (DATABASE_ENGINE=POSTGRES) the databases must go.
  teardown.defer(async () => {
    for (const name of Object.values(dbs)) {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    await admin.end();
  });
  // Every server with the V8 heap settings of the images, the floor too.
  const common = {
    APP_ENV: "test",
    DATABASE_ENGINE: "POSTGRES",
    DENO_V8_FLAGS: V8_FLAGS,
    NODE_OPTIONS: V8_FLAGS.replaceAll(",", " "),
    ...pg.env,
  };
  // Log lines go to /dev/null: collecting them here would take CPU the
  // floor, which logs nothing, does not pay for.
  const start = (entry: string, env: Record<string, string>) =>
    startService(`${root}/${entry}`, env, {
      stdout: "discard",
      // The services on the runtime asked for; the floor and the layers,
      // the yardstick, always on Deno.
      runtime: entry.startsWith("tools/") ? "deno" : runtime,
    });
  say("starting users and thoughts");
  const users = await start("users/main.ts", {
    ...common,
    POSTGRES_DB: dbs.users,
  });
  teardown.defer(() => users.stop("SIGTERM"));
  const thoughts = await start("thoughts/main.ts", {
    ...common,
    POSTGRES_DB: dbs.thoughts,
  });
  teardown.defer(() => thoughts.stop("SIGTERM"));
  const json = { "Content-Type": "application/json" };
  const [username, password] = ["bench", "correct horse"];
  const api = usersApi(users.url);
  await api.createUser(username, password);
  // Logins go to 16 accounts in turn, as many people log in: the users
  // service refuses a 5th concurrent login to one account (login_throttle).
  const accounts = Array.from({ length: 16 }, (_, i) => `bench${i}`);
  for (const name of accounts) await api.createUser(name, password);
  const credentials = accounts.map((name) =>
    JSON.stringify({ username: name, password })
  ).join("\n");
  const Authorized = await api.login(username, password);
  for (let i = 0; i < 100; i++) {
    await postThought(
      thoughts.url,
      Authorized,
      `Benchmark thought number ${i} with some words in it`,
    );
  }
  // Idle: started and seeded, before any load.
  const idle = [users, thoughts].map((s) => rssMb(s.process.pid));
  const floorPort = freePort();
  const floor = await start("tools/bench/floor.ts", {
    ...common,
    POSTGRES_DB: dbs.thoughts,
    USERS_DB: dbs.users,
    PORT: String(floorPort),
  });
  teardown.defer(() => floor.stop("SIGKILL"));
  if (split) {
    // This process first, since that pins its children too; wrk, started
    // from here later, inherits it.
    await pinProcesses([Deno.pid], split.others);
    await pinProcesses(
      [users, thoughts, floor].map((s) => s.process.pid),
      split.servers,
    );
  }
  // Equal halves of the shared core in the paired runs, whatever threads
  // each server runs (see ./bench/cgroup.ts).
  const floorIdle = rssMb(floor.process.pid);
  const groups = await cpuGroups(
    [users, thoughts, floor].map((s) => s.process.pid),
    `bench-${suffix}`,
  );
  teardown.defer(async () => await groups?.dispose());
  const auth = { Authorization: Authorized };
  type Request = [
    method: string,
    body: string,
    headers: Record<string, string>,
  ];
  const get: Request = ["GET", "", {}];
  // A login costs ~150 ms of a core by design (PBKDF2), so 50 clients
  // would queue for seconds; 8 keep the core busy.
  const scenarios: [
    string,
    ServiceProcess,
    string,
    string,
    Request,
    string?,
  ][] = [
    [
      "list thoughts (20 rows)",
      thoughts,
      "/api/thoughts/?limit=20",
      "/list",
      get,
    ],
    ["one thought", thoughts, "/api/thoughts/1/", "/one", get],
    [
      "my thoughts (bearer)",
      thoughts,
      "/api/me/thoughts/?limit=20",
      "/mine",
      ["GET", "", auth],
    ],
    [
      "login (8 connections)",
      users,
      "/api/login/",
      "/login",
      ["POST", credentials, json],
      "8",
    ],
  ];
  const cpuSeconds = await cpuReader();
  // The CPU time of the server process per answered request, all its
  // threads together, next to the run's own figures.
  const measured = async (
    server: ServiceProcess,
    path: string,
    request: Request,
    clients?: string,
  ): Promise<Measured> => {
    const pid = server.process.pid;
    const before = cpuSeconds(pid);
    const result = await load(
      server.url + path,
      ...request,
      seconds,
      clients,
    );
    return {
      ...result,
      cpuUs: (cpuSeconds(pid) - before) * 1e6 / result.requests,
    };
  };
  // Work left in flight by one run (a login's PBKDF2 goes on after wrk
  // has gone) must not be billed to the next.
  const quiet = () =>
    settle(cpuSeconds, [users, thoughts, floor].map((s) => s.process.pid));
  const rows: string[] = [];
  const cpuRows: string[] = [];
  const fmt = (n: number, d = 1) => n.toFixed(d).padStart(8);
  const spread = (xs: number[]) =>
    xs.length === 0
      ? `${"n/a".padStart(8)}  (no round answered on both sides)`
      : `${fmt(median(xs), 2)}  ${Math.min(...xs).toFixed(2)}–${
        Math.max(...xs).toFixed(2)
      }`;
  // A row of CPU time per request in paired runs: each side's median and
  // the ratio floor over server, the columns ending where the header's do.
  const cpuRow = (
    name: string,
    width: number,
    pairs: [server: Measured, floor: Measured][],
  ) => {
    const us = (side: 0 | 1) =>
      pairs.length === 0
        ? "n/a"
        : fmt(median(pairs.map((pair) => pair[side].cpuUs)), 0);
    return `${name.padEnd(width)}${us(0).padStart(35 - width)}${
      us(1).padStart(10)
    }   |${spread(pairs.map(([server, floor]) => floor.cpuUs / server.cpuUs))}`;
  };
  const summarise = (runs: LoadResult[]) => ({
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  });
  for (
    const [step, [name, server, path, floorPath, request, clients]] of scenarios
      .entries()
  ) {
    say(`[${step + 1}/${scenarios.length + 1}] ${name}`);
    // The first seconds of an endpoint compile its code; they count for neither.
    await load(server.url + path, ...request, "2", clients);
    await load(floor.url + floorPath, ...request, "2", clients);
    const serviceRuns: LoadResult[] = [];
    const floorRuns: LoadResult[] = [];
    const pairs: [service: Measured, floor: Measured][] = [];
    for (let round = 0; round < rounds; round++) {
      if (Deno.stderr.isTerminal()) {
        say(
          `[${step + 1}/${scenarios.length + 1}] ${name}: round ${
            round + 1
          } of ${rounds}`,
        );
      }
      await quiet();
      serviceRuns.push(
        await load(server.url + path, ...request, seconds, clients),
      );
      await quiet();
      floorRuns.push(
        await load(floor.url + floorPath, ...request, seconds, clients),
      );
      await quiet();
      // Then both at once, each with its own load generator, sharing the
      // servers' core: a slow stretch of this VM, which moved runs taken
      // one after the other by up to a third, slows both sides alike, and
      // each side's share of the core buys requests at its own cost.
      pairs.push(
        await Promise.all([
          measured(server, path, request, clients),
          measured(floor, floorPath, request, clients),
        ]),
      );
    }
    const s = summarise(serviceRuns);
    const f = summarise(floorRuns);
    // A slow endpoint (login) can finish no request in a paired round.
    const answered = pairs.filter(([service, floor]) =>
      service.requests > 0 && floor.requests > 0
    );
    const ratios = answered.map(([service, floor]) => service.rps / floor.rps);
    rows.push(
      `${name.padEnd(24)}${fmt(s.rps, 0)}${fmt(s.p50)}${fmt(s.p99)}   |${
        fmt(f.rps, 0)
      }${fmt(f.p50)}${fmt(f.p99)}   |${spread(ratios)}${
        s.errors + f.errors ? `  errors ${s.errors}/${f.errors}` : ""
      }`,
    );
    cpuRows.push(cpuRow(name, 24, answered));
  }
  // Where the service's cost over the floor goes: one thought from a bare
  // Hono route, then with the service's layers added one at a time, each
  // loaded at once with the floor as in the paired runs above.
  const steps = scenarios.length + 1;
  say(`[${steps}/${steps}] one thought, layer by layer`);
  const ladder: [string, ServiceProcess][] = [];
  for (const [layer, name] of Object.entries(LAYERS)) {
    const server = await start("tools/bench/layers.ts", {
      ...common,
      POSTGRES_DB: dbs.thoughts,
      BENCH_LAYER: layer,
    });
    teardown.defer(() => server.stop("SIGKILL"));
    ladder.push([name, server]);
  }
  if (split) {
    await pinProcesses(ladder.map(([, s]) => s.process.pid), split.servers);
  }
  ladder.push(["the service", thoughts]);
  const one = "/api/thoughts/1/";
  // The layer servers are fresh: their code compiles in the first seconds.
  for (const [, server] of ladder) await load(server.url + one, ...get, "5");
  const ladderPairs = ladder.map((): [Measured, Measured][] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, [, server]] of ladder.entries()) {
      await settle(cpuSeconds, [server.process.pid, floor.process.pid]);
      ladderPairs[i]!.push(
        await Promise.all([
          measured(server, one, get),
          measured(floor, "/one", get),
        ]),
      );
    }
  }
  const ladderRows = ladder.map(([name], i) =>
    cpuRow(name, 26, ladderPairs[i]!)
  );
  for (const [, server] of ladder.slice(0, -1)) await server.stop("SIGTERM");
  const token = await timeTokens();
  // Memory: the services under mixed reads and logins at once, then the
  // floor under the same load, each left idle afterwards.
  const third = Math.round(Number(connections) / 3);
  const reads = (server: ServiceProcess, paths: string[]) =>
    Promise.all(paths.map((path, i) =>
      load(
        server.url + path,
        "GET",
        "",
        i === 2 ? auth : {},
        memorySeconds,
        String(i === 2 ? Number(connections) - 2 * third : third),
      )
    ));
  const logins = (server: ServiceProcess, path: string) =>
    load(server.url + path, "POST", credentials, json, memorySeconds, "8");
  say(
    `memory: ${memorySeconds} s of mixed reads at ${connections} connections and logins at 8, then ${settleSeconds} s idle; then the floor alike`,
  );
  const [usersMemory, thoughtsMemory] = await memoryUnderLoad(
    [users.process.pid, thoughts.process.pid],
    () =>
      Promise.all([
        reads(thoughts, [
          "/api/thoughts/?limit=20",
          "/api/thoughts/1/",
          "/api/me/thoughts/?limit=20",
        ]),
        logins(users, "/api/login/"),
      ]),
    settleSeconds,
    idle,
  );
  const [floorMemory] = await memoryUnderLoad(
    [floor.process.pid],
    () =>
      Promise.all([
        reads(floor, ["/list", "/one", "/mine"]),
        logins(floor, "/login"),
      ]),
    settleSeconds,
    [floorIdle],
  );
  const { runtime: serviceRuntime } =
    await (await fetch(`${users.url}/admin/version/`)).json();
  console.log(
    `\nThoughts benchmark, the services on ${serviceRuntime} (the floor on deno ${Deno.version.deno}): ${connections} connections, ${seconds} s per run, median of ${rounds} rounds, load from ${
      useWrk ? "wrk" : "a Deno process (install wrk for less load on the cores)"
    }, PostgreSQL, ${navigator.hardwareConcurrency} cores${
      split
        ? ` (servers pinned to CPU ${split.servers}, database and load to CPU ${split.others})`
        : ""
    }; ${
      groups
        ? "each server in a CPU cgroup of its own, of equal weight"
        : "no CPU cgroup to use (needs root): the scheduler shares the servers' core by thread, not by server"
    }`,
  );
  console.log(
    `${"".padEnd(24)}${"service req/s   p50 ms  p99 ms".padStart(27)}   |${
      "floor req/s  p50 ms  p99 ms".padStart(27)
    }   |   ratio  (range)`,
  );
  for (const row of rows) console.log(row);
  console.log(
    `Requests/s and latency: each server loaded alone. Ratio: service over floor requests/s in paired runs, both loaded at once on the servers' shared core${
      groups ? ", each server in its own CPU cgroup" : ""
    }.`,
  );
  console.log(
    `\nCPU time per request of each server process (all threads) in the paired runs; on a core of its own a busy server answers as many requests as this allows, so the ratio, floor over service, is the throughput ratio the servers themselves reach:\n${
      "".padEnd(24)
    } service µs  floor µs   |   ratio  (range)`,
  );
  for (const row of cpuRows) console.log(row);
  console.log(
    `\nOne thought, layer by layer: a bare Hono route, then the service's layers added one at a time, each loaded at once with the floor; CPU time per request as above, ratio floor over server:\n${
      "".padEnd(26)
    }server µs  floor µs   |   ratio  (range)`,
  );
  for (const row of ladderRows) console.log(row);
  console.log(
    `\ntoken verification (RS256, in process): ${
      token.firstUs.toFixed(1)
    } µs first time (rounds ${token.firstRangeUs[0].toFixed(0)}–${
      token.firstRangeUs[1].toFixed(0)
    }), ${
      token.repeatedUs.toFixed(1)
    } µs for a token seen before; the bare WebCrypto signature check (2048-bit) ${
      token.webCryptoUs.toFixed(1)
    } µs`,
  );
  console.log(
    `\nMemory: ${memorySeconds} s of list / one thought / my thoughts at ${connections} connections with logins at 8 (the floor alike, after), then ${settleSeconds} s idle; V8 ${V8_FLAGS}. Goal: peak at most 120 MB and 1.5 × idle, back within 10 % of idle:`,
  );
  for (
    const line of memoryTable([
      ["users", usersMemory!],
      ["thoughts", thoughtsMemory!],
      ["floor (both roles)", floorMemory!],
    ], settleSeconds)
  ) console.log(line);
}

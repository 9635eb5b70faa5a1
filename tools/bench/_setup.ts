// What the bench loads, started and seeded: the database, the services on
// a runtime, the Fastify peer and the floor.
import { Teardown } from "../teardown.ts";
import { denoBundle, runtimeExecutable } from "../build/runtime.ts";
import { V8_FLAGS } from "../build/services.ts";
import { connect } from "./_connect.ts";
import { pinProcesses } from "./_pin.ts";
import { signToken } from "@thoughts/shared/auth";
import {
  freePort,
  loadTestKeys,
  postThought,
  type ServiceProcess,
  startService,
  startThrowawayPostgres,
  TEST_KEYS_DIR,
  type TestRuntime,
  usersApi,
} from "@thoughts/testing";
import { ROOT } from "../root.ts";

const root = `${ROOT}/`;
/** Distinct tokens, more than the services' cache of verified ones keeps. */
const FRESH_TOKENS = 12_000;

/** The seeded account's `Authorization` value and the fresh tokens' file. */
export interface Seeded {
  authorized: string;
  file: string;
}

/** The bench's databases and the environment every server gets. */
export interface Database {
  common: Record<string, string>;
  dbs: { users: string; thoughts: string };
}

/**
 * The database: the tests' server (`DATABASE_ENGINE=POSTGRES`) or a
 * throwaway cluster, pinned beside the load; two databases of the bench's own.
 */
export async function database(
  teardown: Teardown,
  split?: { others: string },
): Promise<Database> {
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

/** Users and thoughts on one runtime; stdout (the access log) to /dev/null. */
export async function services(
  teardown: Teardown,
  runtime: TestRuntime,
  db: Database,
  flags: string[] = [],
): Promise<{ users: ServiceProcess; thoughts: ServiceProcess }> {
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

/** An account, 100 thoughts, its token, and the fresh tokens' file. */
export async function seed(
  teardown: Teardown,
  usersUrl: string,
  thoughtsUrl: string,
  freshTokens = FRESH_TOKENS,
): Promise<Seeded> {
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
  while (tokens.length < freshTokens) {
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

/** Fastify doing our duties, bundled and run by the pinned Node. */
export async function peer(
  teardown: Teardown,
  db: Database,
): Promise<{ url: string; pid: number }> {
  const { common } = db;
  const bundle = `${root}dist/bench/peer.js`;
  const failed = await denoBundle(`${root}tools/bench/peer.ts`, bundle, root);
  if (failed) throw new Error(`Cannot bundle the peer: ${failed}`);
  const node = await runtimeExecutable(`${root}dist/.cache`, "node");
  const port = freePort();
  const child = new Deno.Command(node, {
    args: [...V8_FLAGS.split(","), bundle],
    env: {
      ...common,
      POSTGRES_DB: db.dbs.thoughts,
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

/** The floor on the thoughts database (and users', for logins). */
export async function startFloor(
  teardown: Teardown,
  db: Database,
): Promise<ServiceProcess> {
  const floor = await startService(`${root}tools/bench/floor.ts`, {
    ...db.common,
    POSTGRES_DB: db.dbs.thoughts,
    USERS_DB: db.dbs.users,
  }, { stdout: "discard", runtime: "deno" });
  teardown.defer(() => floor.stop("SIGKILL"));
  return floor;
}

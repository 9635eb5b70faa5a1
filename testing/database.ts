/**
 * Fresh, isolated databases for tests, on the engine CI selects with
 * `DATABASE_ENGINE` (PGlite when unset; PostgreSQL with the `POSTGRES_*`
 * variables).
 *
 * @module
 */

import { PGlite } from "@electric-sql/pglite";
import { dirname } from "node:path";
import postgres from "postgres";
import {
  type Database,
  openPglite,
  openPostgres,
} from "@thoughts/shared/store";

/** A test database; disposing it closes and deletes it. */
export type TestDatabase = Database & AsyncDisposable;

let template: Promise<Blob> | undefined;

// Opening PGlite costs about a second even from a dump; dropping what a
// test made costs milliseconds. So a disposed database is emptied and
// handed to the next test of the same process.
const emptied: Database[] = [];

async function empty(db: Database): Promise<boolean> {
  try {
    await db.query("ROLLBACK"); // a transaction a failed test left open
    const schemas = await db.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace
        WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'`,
    );
    for (const { name } of schemas) {
      await db.query(`DROP SCHEMA "${name}" CASCADE`);
    }
    await db.query("CREATE SCHEMA public");
    await db.query("RESET ALL");
    return true;
  } catch {
    return false; // closed by its test, or broken
  }
}

// Initialising PGlite costs seconds; loading a dump of a fresh one costs a
// fraction of that. The dump is kept on disk, per PGlite version, so every
// test process after the first loads it (written aside, then renamed: test
// processes running at once each get a whole file).
const TEMPLATE = new URL(
  `../dist/.cache/pglite-template-${
    // The version the import map pins, e.g. npm:@electric-sql/pglite@0.5.16.
    import.meta.resolve("@electric-sql/pglite").split("@").at(-1)}.tar`,
  import.meta.url,
).pathname;

function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const kept = await Deno.readFile(TEMPLATE).catch(() => undefined);
    if (kept) return new Blob([kept]);
    const pg = await PGlite.create();
    const dump = await pg.dumpDataDir("none");
    await pg.close();
    await Deno.mkdir(dirname(TEMPLATE), { recursive: true });
    const aside = `${TEMPLATE}.${crypto.randomUUID()}`;
    await Deno.writeFile(aside, new Uint8Array(await dump.arrayBuffer()));
    await Deno.rename(aside, TEMPLATE);
    return dump;
  })();
  return template;
}

/** The engine the tests run on, from `DATABASE_ENGINE`. */
export function testEngine(): "POSTGRES" | "PGLITE" {
  return Deno.env.get("DATABASE_ENGINE") === "POSTGRES" ? "POSTGRES" : "PGLITE";
}

/** The PostgreSQL server settings of the tests, from the `POSTGRES_*` variables. */
export function testPostgresSettings(): {
  host: string;
  port: number;
  user: string;
  database: string;
  password: string;
} {
  const env = (name: string, fallback: string) =>
    Deno.env.get(name) ?? fallback;
  return {
    host: env("POSTGRES_HOST", "127.0.0.1"),
    port: Number(env("POSTGRES_PORT", "5432")),
    user: env("POSTGRES_USER", "postgres"),
    database: env("POSTGRES_DB", "postgres"),
    password: env("POSTGRES_PASSWORD", ""),
  };
}

/**
 * One connection to the tests' PostgreSQL server, for creating and dropping
 * the schemas and databases tests run in.
 *
 * @param settings The server; the tests' (`POSTGRES_*`) by default.
 * @returns The connection; end it with `end()`.
 * @example Usage
 * ```ts
 * import { testEngine, testPostgresAdmin } from "./database.ts";
 *
 * // Only where the tests run against a PostgreSQL server.
 * if (testEngine() === "POSTGRES") {
 *   const admin = testPostgresAdmin();
 *   await admin.unsafe("SELECT 1");
 *   await admin.end();
 * }
 * ```
 */
export function testPostgresAdmin(
  settings: ReturnType<typeof testPostgresSettings> = testPostgresSettings(),
): postgres.Sql {
  return postgres({
    ...settings,
    username: settings.user,
    max: 1,
    onnotice: () => {},
  });
}

/**
 * Opens an empty database: an in-memory PGlite, or a new schema on the
 * PostgreSQL server.
 *
 * @returns The database; dispose it to drop it.
 * @example Usage
 * ```ts
 * import { openTestDatabase } from "./database.ts";
 *
 * await using db = await openTestDatabase();
 * await db.query("SELECT 1");
 * ```
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  if (testEngine() === "PGLITE") {
    const db = emptied.pop() ??
      await openPglite({ loadDataDir: await pgliteTemplate() });
    return {
      ...db,
      async [Symbol.asyncDispose]() {
        if (await empty(db)) emptied.push(db);
        else await db.close();
      },
    };
  }
  const settings = testPostgresSettings();
  const schema = `test_${crypto.randomUUID().replaceAll("-", "")}`;
  const admin = testPostgresAdmin();
  await admin.unsafe(`CREATE SCHEMA ${schema}`);
  // The trigram extension in public, for every test schema at once: made
  // in a test's own schema, it would go when that test drops its schema.
  await admin.unsafe("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    .catch(() => {}); // another test process made it at the same moment
  const db = openPostgres({
    ...settings,
    max: 4,
    connection: { search_path: `${schema},public` },
  });
  return {
    ...db,
    async [Symbol.asyncDispose]() {
      await db.close();
      await admin.unsafe(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/**
 * Fresh, isolated databases for tests, on the engine CI selects with
 * `DATABASE_ENGINE` (PGlite when unset; PostgreSQL with the `POSTGRES_*`
 * variables).
 *
 * @module
 */

import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { Database } from "../shared/store/database.ts";
import { openPglite } from "../shared/store/pglite.ts";
import { openPostgres } from "../shared/store/postgres.ts";

/** A test database; disposing it closes and deletes it. */
export type TestDatabase = Database & AsyncDisposable;

let template: Promise<Blob> | undefined;

// Initialising PGlite costs seconds; loading a dump of a fresh one costs a
// fraction of that, so each test process initialises once.
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const pg = await PGlite.create();
    const dump = await pg.dumpDataDir("none");
    await pg.close();
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
 * import { testPostgresAdmin } from "../shared/database.ts";
 *
 * const admin = testPostgresAdmin();
 * await admin.unsafe("SELECT 1");
 * await admin.end();
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
 * import { openTestDatabase } from "../shared/database.ts";
 *
 * await using db = await openTestDatabase();
 * await db.query("SELECT 1");
 * ```
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  if (testEngine() === "PGLITE") {
    const db = await openPglite({ loadDataDir: await pgliteTemplate() });
    return { ...db, [Symbol.asyncDispose]: () => db.close() };
  }
  const settings = testPostgresSettings();
  const schema = `test_${crypto.randomUUID().replaceAll("-", "")}`;
  const admin = testPostgresAdmin();
  await admin.unsafe(`CREATE SCHEMA ${schema}`);
  const db = openPostgres({
    ...settings,
    max: 4,
    connection: { search_path: schema },
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

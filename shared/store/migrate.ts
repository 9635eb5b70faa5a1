/**
 * Schema migrations, run at start, idempotent and safe when two replicas
 * start at once.
 *
 * @module
 */

import type { Database } from "./database.ts";

/**
 * Applies the migrations a database has not seen yet, in order. Migration
 * `i` of a service is applied once, ever; add new ones at the end.
 *
 * @param db The database.
 * @param service The owner of the migrations, e.g. `users`.
 * @param migrations SQL scripts of one statement each, oldest first.
 * @returns How many were applied now.
 * @throws {StoreError} When the database is unavailable or a script fails.
 * @example Usage
 * ```ts
 * import { migrate, openPglite } from "@thoughts/shared/store";
 *
 * const db = await openPglite();
 * await migrate(db, "users", ["CREATE TABLE users (id integer)"]); // 1
 * await migrate(db, "users", ["CREATE TABLE users (id integer)"]); // 0: already applied
 * await db.close();
 * ```
 */
export async function migrate(
  db: Database,
  service: string,
  migrations: readonly string[],
): Promise<number> {
  return await db.transaction(async (tx) => {
    // Serialises concurrent starts of replicas, before any DDL: two creates
    // of the same table at once collide in the catalog. Released at commit.
    await tx.query(
      "SELECT pg_advisory_xact_lock(hashtext('schema_migrations'))",
    );
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      service text NOT NULL,
      version integer NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service, version)
    )`);
    const done = await tx.query<{ version: number }>(
      "SELECT version FROM schema_migrations WHERE service = $1",
      [service],
    );
    const applied = new Set(done.map((row) => row.version));
    let count = 0;
    for (const [version, script] of migrations.entries()) {
      if (applied.has(version)) continue;
      await tx.query(script);
      await tx.query(
        "INSERT INTO schema_migrations (service, version) VALUES ($1, $2)",
        [service, version],
      );
      count++;
    }
    return count;
  });
}

/**
 * The store: one interface, two engines, migrations.
 *
 * @module
 */

import type { DatabaseConfig } from "../variables.ts";
import type { Database } from "./database.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

export * from "./database.ts";
export * from "./migrate.ts";
export * from "./pglite.ts";
export * from "./postgres.ts";

/**
 * Opens the engine a configuration names.
 *
 * @param config The database settings.
 * @returns The database; PostgreSQL connects lazily, PGlite at once.
 * @example Usage
 * ```ts
 * import { openDatabase } from "@thoughts/shared";
 *
 * const db = await openDatabase({ engine: "PGLITE", dataDir: ".data/users" });
 * ```
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.engine === "PGLITE") {
    return await openPglite({ dataDir: config.dataDir });
  }
  const { host, port, user, database, password } = config;
  return openPostgres({ host, port, user, database, password });
}

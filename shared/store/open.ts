/**
 * Opening the engine a configuration names.
 *
 * @module
 */

import type { DatabaseConfig } from "../config/variables.ts";
import type { Database } from "./database.ts";
import { watchDiskFull } from "./disk_full.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

/**
 * Opens the engine a configuration names.
 *
 * @param config The database settings.
 * @returns The database; PostgreSQL connects lazily, PGlite at once.
 * @example Usage
 * ```ts
 * import { openDatabase } from "@thoughts/shared/store";
 *
 * const db = await openDatabase({ engine: "PGLITE" });
 * await db.query<{ n: number }>("SELECT 1 AS n"); // [{ n: 1 }]
 * await db.close();
 * ```
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.engine === "PGLITE") {
    return watchDiskFull(await openPglite({ dataDir: config.dataDir }));
  }
  return watchDiskFull(openPostgres(config));
}

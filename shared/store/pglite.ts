/**
 * The embedded engine, PGlite: PostgreSQL in process.
 *
 * @module
 */

import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import {
  type Database,
  type Queryable,
  StoreError,
  toStoreError,
} from "./database.ts";

/** Where PGlite keeps its data. */
export interface PgliteOptions {
  /** A data folder; created on first use. In memory when absent. */
  dataDir?: string;
  /** A dump (`dumpDataDir()`) to start an in-memory database from. */
  loadDataDir?: Blob | File;
}

/**
 * Opens the embedded engine. A fresh data folder takes seconds to
 * initialise; reopening one takes a fraction of a second.
 *
 * @param options The data folder or dump.
 * @returns The database.
 * @example Usage
 * ```ts
 * import { openPglite } from "@thoughts/shared/store";
 *
 * const db = await openPglite(); // in memory; pass `dataDir` to keep the data
 * await db.query<{ n: number }>("SELECT 1 AS n"); // [{ n: 1 }]
 * await db.close();
 * ```
 */
export async function openPglite(
  options: PgliteOptions = {},
): Promise<Database> {
  if (options.dataDir) await checkWritable(options.dataDir);
  const pg = await PGlite.create({
    // Trigram indexes, as PostgreSQL's contrib provides them.
    extensions: { pg_trgm },
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
  });
  const on = (runner: Pick<PGlite, "query">): Queryable => ({
    async query<T>(text: string, params: unknown[] = []) {
      try {
        return (await runner.query<T>(text, params)).rows;
      } catch (error) {
        throw toStoreError(error);
      }
    },
  });
  const root = on(pg);
  return {
    engine: "PGLITE",
    query: root.query,
    async transaction(fn) {
      try {
        return await pg.transaction((tx) => fn(on(tx)));
      } catch (error) {
        throw toStoreError(error);
      }
    },
    async ping() {
      await root.query("SELECT 1");
    },
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}

// PGlite fails on a folder it cannot write with a stack trace from inside
// its WebAssembly; a sentence naming the folder says what to fix.
async function checkWritable(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = join(dir, `.write_check_${crypto.randomUUID()}`);
    await writeFile(probe, "");
    await rm(probe);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new StoreError(
      "unavailable",
      `PGlite data folder '${dir}' is not writable: ${reason}`,
      { cause },
    );
  }
}

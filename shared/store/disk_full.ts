/**
 * Readiness through a full disk: while writes fail for lack of space the
 * database still answers `SELECT 1`, so the ping alone would call it ready.
 *
 * @module
 */

import { type Database, StoreError } from "./database.ts";

/**
 * Wraps a database so that its `ping()` fails for `holdMs` after any query
 * failed with a full disk; the load balancer then sends writes elsewhere.
 *
 * @param db The database.
 * @param holdMs How long after the last disk-full error readiness fails.
 * @param now The clock, in milliseconds.
 * @returns The wrapped database.
 * @example Usage
 * ```ts
 * import { openPglite, watchDiskFull } from "@thoughts/shared/store";
 *
 * const db = watchDiskFull(await openPglite());
 * await db.ping(); // ready
 * await db.close();
 * ```
 */
export function watchDiskFull(
  db: Database,
  holdMs = 10_000,
  now: () => number = () => performance.now(),
): Database {
  let fullUntil = -Infinity;
  const noted = <T>(work: Promise<T>) =>
    work.catch((error) => {
      if (error instanceof StoreError && error.code === "disk_full") {
        fullUntil = now() + holdMs;
      }
      throw error;
    });
  return {
    engine: db.engine,
    query: (text, params, options) => noted(db.query(text, params, options)),
    transaction: (fn) => noted(db.transaction(fn)),
    async ping() {
      if (now() < fullUntil) {
        throw new StoreError("disk_full", "Database storage full");
      }
      await db.ping();
    },
    close: () => db.close(),
  };
}

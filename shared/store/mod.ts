/**
 * The store: one interface, two engines (PostgreSQL and the embedded
 * PGlite), migrations.
 *
 * @module
 */

export {
  type Database,
  type Queryable,
  type QueryOptions,
  StoreError,
  type StoreErrorCode,
  toStoreError,
} from "./database.ts";
export { watchDiskFull } from "./disk_full.ts";
export { migrate } from "./migrate.ts";
export { openDatabase } from "./open.ts";
export { openPglite, type PgliteOptions } from "./pglite.ts";
export { openPostgres, type PostgresOptions } from "./postgres.ts";

/**
 * The PostgreSQL engine, through `npm:postgres`.
 *
 * @module
 */

import postgres from "postgres";
import { type Database, type Queryable, toStoreError } from "./database.ts";

/** Connection settings of a PostgreSQL server. */
export interface PostgresOptions {
  host: string;
  port: number;
  user: string;
  database: string;
  password: string;
  /** Pool size; 10 by default. */
  max?: number;
  /**
   * Named prepared statements, kept per connection; on by default. Each
   * distinct SQL text (the stores have a handful) is then parsed and
   * described once per connection rather than on every query: 1.2–1.5× the
   * requests per second in the bench. PostgreSQL plans the first five runs
   * of each with their values, then may keep a generic plan, made without
   * them, where its estimated cost is no higher; so a statement's text must suit every value it is run with, as
   * the stores' texts do (one text per combination of filters, no
   * `($1 IS NULL OR ...)` guards). Turn off behind a pooler that cannot keep
   * them, such as PgBouncer in transaction mode before 1.21.
   */
  prepare?: boolean;
  /** Server settings, e.g. `search_path` for an isolated test schema. */
  connection?: Record<string, string>;
}

/**
 * Opens a connection pool. Connections open lazily and reopen after the
 * server returns, so a service survives a database outage without a restart.
 *
 * @param options The server and credentials.
 * @returns The database.
 * @example Usage
 * ```ts
 * import { openPostgres } from "@thoughts/shared";
 *
 * const db = openPostgres({ host: "localhost", port: 5432, user: "u", database: "d", password: "p" });
 * await db.ping();
 * ```
 */
export function openPostgres(options: PostgresOptions): Database {
  const prepare = options.prepare ?? true;
  const sql = postgres({
    host: options.host,
    port: options.port,
    username: options.user,
    database: options.database,
    password: options.password,
    max: options.max ?? 10,
    connect_timeout: 5,
    idle_timeout: 60,
    connection: options.connection,
    onnotice: () => {},
  });
  const on = (runner: postgres.Sql | postgres.TransactionSql): Queryable => ({
    async query<T>(text: string, params: unknown[] = []) {
      try {
        return [
          ...await runner.unsafe(
            text,
            params as postgres.ParameterOrJSON<never>[],
            { prepare },
          ),
        ] as T[];
      } catch (error) {
        throw toStoreError(error);
      }
    },
  });
  const root = on(sql);
  return {
    engine: "POSTGRES",
    query: root.query,
    async transaction(fn) {
      try {
        return await sql.begin((tx) => fn(on(tx))) as Awaited<
          ReturnType<typeof fn>
        >;
      } catch (error) {
        throw toStoreError(error);
      }
    },
    async ping() {
      await root.query("SELECT 1");
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

/**
 * The PostgreSQL engine, through `npm:postgres`.
 *
 * @module
 */

import postgres from "postgres";
import {
  type Database,
  type QueryOptions,
  StoreError,
  toStoreError,
} from "./database.ts";
import { leastBusy } from "./_pool.ts";

/** Connection settings of a PostgreSQL server. */
export interface PostgresOptions {
  /** The server's host name or address. */
  host: string;
  /** The server's port. */
  port: number;
  /** The role to log in as. */
  user: string;
  /** The database to use. */
  database: string;
  /** The role's password; never logged. */
  password: string;
  /**
   * The most connections open at once; 4 by default. Fewer connections carry
   * more queries each, written to the socket together: at 50 concurrent
   * requests, 4 took a third less CPU a query than 10.
   */
  max?: number;
  /**
   * Named prepared statements, kept per connection; on by default. Each
   * distinct SQL text is then parsed once per connection. PostgreSQL may
   * keep a generic plan, so a statement's text must suit every value it
   * runs with. Turn off behind a pooler that cannot keep them, such as
   * PgBouncer in transaction mode before 1.21.
   */
  prepare?: boolean;
  /** Server settings, e.g. `search_path` for an isolated test schema. */
  connection?: Record<string, string>;
  /** Seconds to open a connection before the query fails; 3 by default. */
  connectTimeout?: number;
  /**
   * Seconds a query or ping may take before it fails as unavailable; 5 by
   * default. Transactions (migrations) are not cut short.
   */
  queryTimeout?: number;
}

/**
 * Opens a connection pool. Connections open lazily, only as many as the
 * queries in flight need, and reopen after the server returns, so a service
 * survives a database outage without a restart.
 *
 * @param options The server and credentials.
 * @returns The database.
 * @example Usage
 * ```ts
 * import { openPostgres } from "@thoughts/shared/store";
 *
 * // Connections open lazily, on the first query.
 * const db = openPostgres({ host: "127.0.0.1", port: 5432, user: "u", database: "d", password: "p" });
 * db.engine; // "POSTGRES"
 * await db.close();
 * ```
 */
export function openPostgres(options: PostgresOptions): Database {
  const prepare = options.prepare ?? true;
  // One client per connection; the pooling is ours (see _pool.ts).
  const clients = Array.from(
    { length: options.max ?? 4 },
    () => connection(options),
  );
  const pool = leastBusy(clients);
  const use = <T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> =>
    pool(fn).catch((error) => {
      throw toStoreError(error);
    });
  const run = <T>(
    runner: postgres.Sql | postgres.TransactionSql,
    text: string,
    params: unknown[],
    queryOptions: QueryOptions = {},
  ) =>
    runner.unsafe(text, params as postgres.ParameterOrJSON<never>[], {
      // An unnamed statement is planned for its values at each run.
      prepare: prepare && queryOptions.plan !== "each",
    }).then((rows) => [...rows] as T[], (error) => {
      throw toStoreError(error);
    });
  const timeoutMs = (options.queryTimeout ?? 5) * 1000;
  // Outside the pool: a query that hangs (a frozen server) keeps its client
  // counted busy until it ends, so the next queries go to the others.
  const query = <T>(
    text: string,
    params: unknown[] = [],
    queryOptions?: QueryOptions,
  ) =>
    deadline(
      use((sql) => run<T>(sql, text, params, queryOptions)),
      timeoutMs,
    );
  return {
    engine: "POSTGRES",
    query,
    transaction: (fn) =>
      use((sql) =>
        sql.begin((tx) =>
          fn({
            query: <T>(
              text: string,
              params: unknown[] = [],
              queryOptions?: QueryOptions,
            ) => run<T>(tx, text, params, queryOptions),
          })
        ) as Promise<Awaited<ReturnType<typeof fn>>>
      ),
    async ping() {
      await query("SELECT 1");
    },
    async close() {
      await Promise.all(clients.map((sql) => sql.end({ timeout: 5 })));
    },
  };
}

function deadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new StoreError("unavailable", "Database unavailable", {
            cause: new Error(`No answer within ${ms} ms`),
          }),
        ),
      ms,
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

// One postgres.js client of one connection.
function connection(options: PostgresOptions): postgres.Sql {
  return postgres({
    host: options.host,
    port: options.port,
    username: options.user,
    database: options.database,
    password: options.password,
    max: 1,
    connect_timeout: options.connectTimeout ?? 3,
    // postgres.js waits up to 20 s between reconnects after repeated
    // failures; a returning server should be used within a second.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    idle_timeout: 60,
    connection: options.connection,
    onnotice: () => {},
  });
}

/**
 * The PostgreSQL engine, through `npm:postgres`.
 *
 * @module
 */

import postgres from "postgres";
import { type Database, toStoreError } from "./database.ts";

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
  /** The most connections open at once; 10 by default. */
  max?: number;
  /**
   * Named prepared statements, kept per connection; on by default. Each
   * distinct SQL text (the stores have a handful) is then parsed and
   * described once per connection rather than on every query: 1.2–1.5× the
   * requests per second in the bench. PostgreSQL plans the first five runs
   * of each with their values, then may keep a generic plan, made without
   * them, where its estimated cost is no higher; so a statement's text must
   * suit every value it runs with, as the stores' texts do (one text per
   * combination of filters, no `($1 IS NULL OR ...)` guards). Turn off
   * behind a pooler that cannot keep them, such as PgBouncer in transaction
   * mode before 1.21.
   */
  prepare?: boolean;
  /** Server settings, e.g. `search_path` for an isolated test schema. */
  connection?: Record<string, string>;
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
 * import { openPostgres } from "@thoughts/shared";
 *
 * const db = openPostgres({ host: "localhost", port: 5432, user: "u", database: "d", password: "p" });
 * await db.ping();
 * ```
 */
export function openPostgres(options: PostgresOptions): Database {
  const prepare = options.prepare ?? true;
  // One postgres.js client per connection, each with a pool of one, and the
  // pooling done here. postgres.js 3.4.9 keeps a pool's idle and busy
  // connections in queues whose arrays only shrink once a queue empties,
  // and searches them whole on every query; with several connections and
  // steady traffic they never empty, so each query cost more than the last
  // (53 to 130 µs of CPU within 50 s at 50 concurrent queries, 84 to 180 µs
  // at 4 after a burst). A client of one connection empties its queues on
  // every handover: 35 to 41 µs, flat.
  const clients = Array.from({ length: options.max ?? 10 }, () =>
    postgres({
      host: options.host,
      port: options.port,
      username: options.user,
      database: options.database,
      password: options.password,
      max: 1,
      connect_timeout: 5,
      idle_timeout: 60,
      connection: options.connection,
      onnotice: () => {},
    }));
  const busy = clients.map(() => 0);
  // The client with the fewest queries in flight, the first among equals,
  // so light traffic keeps to one connection and a transaction's client is
  // passed over while others are free.
  const use = async <T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> => {
    let pick = 0;
    for (let i = 1; i < clients.length; i++) {
      if (busy[i]! < busy[pick]!) pick = i;
    }
    busy[pick]!++;
    try {
      return await fn(clients[pick]!);
    } catch (error) {
      throw toStoreError(error);
    } finally {
      busy[pick]!--;
    }
  };
  const run = <T>(
    runner: postgres.Sql | postgres.TransactionSql,
    text: string,
    params: unknown[],
  ) =>
    runner.unsafe(text, params as postgres.ParameterOrJSON<never>[], {
      prepare,
    }).then((rows) => [...rows] as T[], (error) => {
      throw toStoreError(error);
    });
  const query = <T>(text: string, params: unknown[] = []) =>
    use((sql) => run<T>(sql, text, params));
  return {
    engine: "POSTGRES",
    query,
    transaction: (fn) =>
      use((sql) =>
        sql.begin((tx) =>
          fn({
            query: <T>(text: string, params: unknown[] = []) =>
              run<T>(tx, text, params),
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

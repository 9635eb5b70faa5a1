/**
 * One plain postgres.js connection for the benchmarks' own set-up (create
 * databases, seed rows), apart from the services' pools.
 *
 * @module
 */

import postgres from "postgres";

/**
 * Connects to a database of the server the `POSTGRES_*` settings name.
 *
 * @param env `POSTGRES_HOST`, `POSTGRES_PORT`, `POSTGRES_USER`, `POSTGRES_PASSWORD`.
 * @param database The database.
 * @returns The connection; `end()` it when done.
 * @example Usage
 * ```ts
 * import { connect } from "./connect.ts";
 *
 * // Connections open on the first query.
 * const sql = connect({ POSTGRES_HOST: "127.0.0.1", POSTGRES_PORT: "5432" }, "postgres");
 * await sql.end();
 * ```
 */
export function connect(
  env: Record<string, string | undefined>,
  database: string,
): postgres.Sql {
  return postgres({
    host: env.POSTGRES_HOST,
    port: Number(env.POSTGRES_PORT),
    username: env.POSTGRES_USER,
    password: env.POSTGRES_PASSWORD,
    database,
    max: 1,
    onnotice: () => {},
  });
}

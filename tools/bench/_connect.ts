/**
 * One plain postgres.js connection for the benchmarks' own set-up (create
 * databases, seed rows), apart from the services' pools.
 *
 * @module
 */

import postgres from "postgres";

/** Connects to a database of the server the `POSTGRES_*` settings name. */
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

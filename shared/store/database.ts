/**
 * The database interface both engines implement, running the same SQL.
 *
 * @module
 */

/** Something SQL with `$1` parameters can run on: the database or a transaction. */
export interface Queryable {
  /**
   * Runs one statement.
   *
   * @param sql The statement, with `$1`, `$2` … placeholders.
   * @param params The parameter values.
   * @param options `plan: "each"` plans the statement for its values every
   * time (PostgreSQL), where a plan kept for any value would be poor: a
   * search for a rare word wants the index, a common one the id order.
   * @returns The rows.
   * @throws {StoreError} On a constraint violation or an unreachable database.
   */
  query<T = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<T[]>;
}

/** Options of one query. */
export interface QueryOptions {
  /** `each`: a plan for these values, never a kept generic one. */
  plan?: "kept" | "each";
}

/** A database connection (pool) of either engine. */
export interface Database extends Queryable {
  /** Which engine runs the SQL. */
  readonly engine: "POSTGRES" | "PGLITE";
  /** Runs `fn` in a transaction, committed when it resolves. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the database answers; rejects with a `StoreError` otherwise. */
  ping(): Promise<void>;
  /** Closes the connections. */
  close(): Promise<void>;
}

/** Why a database operation failed. */
export type StoreErrorCode =
  | "unique_violation"
  | "unavailable"
  | "disk_full"
  | "timeout"
  | "query_failed";

/** A database failure with a code the services can map to HTTP. */
export class StoreError extends Error {
  /** What went wrong. */
  readonly code: StoreErrorCode;
  /** The violated constraint, for `unique_violation`. */
  readonly constraint?: string;

  /**
   * Creates the error.
   *
   * @param code What went wrong.
   * @param message A description without values.
   * @param options The cause and the violated constraint.
   */
  constructor(
    code: StoreErrorCode,
    message: string,
    options: { cause?: unknown; constraint?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "StoreError";
    this.code = code;
    this.constraint = options.constraint;
  }
}

// Network failures of postgres.js and Node's socket layer.
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/**
 * Translates an engine error into a {@linkcode StoreError}.
 *
 * @param error What the engine threw.
 * @returns The typed error; a `StoreError` passes through.
 * @example Usage
 * ```ts
 * import { toStoreError } from "@thoughts/shared/store";
 *
 * toStoreError({ code: "23505", constraint: "users_username_key" }).code; // "unique_violation"
 * ```
 */
export function toStoreError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  // PGlite names the field `constraint`, postgres.js `constraint_name`.
  const fields = (error ?? {}) as {
    code?: unknown;
    constraint?: unknown;
    constraint_name?: unknown;
  };
  const { code } = fields;
  const name = fields.constraint ?? fields.constraint_name;
  const sqlState = typeof code === "string" ? code : "";
  if (sqlState === "23505") {
    return new StoreError("unique_violation", "Unique constraint violated", {
      cause: error,
      constraint: typeof name === "string" ? name : undefined,
    });
  }
  // The statement ran past its statement_timeout.
  if (sqlState === "57014") {
    return new StoreError("timeout", "Database query took too long", {
      cause: error,
    });
  }
  if (sqlState === "53100") {
    return new StoreError("disk_full", "Database storage full", {
      cause: error,
    });
  }
  // SQLSTATE class 08 is connection exception; 57P0x is the server shutting down.
  if (
    CONNECTION_CODES.has(sqlState) || sqlState.startsWith("08") ||
    /^57P0[1-3]$/.test(sqlState) || sqlState === "53300"
  ) {
    return new StoreError("unavailable", "Database unavailable", {
      cause: error,
    });
  }
  return new StoreError("query_failed", "Database query failed", {
    cause: error,
  });
}

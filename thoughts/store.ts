/**
 * The thoughts service's SQL, the same for both engines.
 *
 * @module
 */

import { type Database, migrate, StoreError } from "@thoughts/shared/store";

/** The schema, oldest migration first; append only. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE thoughts (
    id integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
    username text NOT NULL,
    text text NOT NULL,
    timestamp timestamptz NOT NULL
  )`,
  "CREATE INDEX thoughts_username ON thoughts (username, id)",
  // Searches use a trigram index, on both engines.
  "CREATE EXTENSION IF NOT EXISTS pg_trgm",
  "CREATE INDEX thoughts_text_trgm ON thoughts USING gin (text gin_trgm_ops)",
];

/** A stored thought. */
export interface Thought {
  /** The thought's id, increasing with each post. */
  id: number;
  /** Who wrote it. */
  username: string;
  /** What it says. */
  text: string;
  /** When it was posted: ISO 8601 in UTC, to the millisecond. */
  timestamp: string;
}

/** Which thoughts to list, and from where. */
export interface ListOptions {
  /** Case-insensitive literal substring of the text. */
  search?: string;
  /** Only this user's thoughts. */
  username?: string;
  /** Newest first (`desc`, by id) or oldest first (`asc`). */
  order: "asc" | "desc";
  /** Only thoughts with a smaller id: the page after this one, newest first. */
  before?: number;
  /** Only thoughts with a larger id. */
  after?: number;
  /** At most this many. */
  limit: number;
  /** Skip this many first; kept for older clients, bounded by the API. */
  offset: number;
}

/** A page of thoughts, and whether more lie beyond each end. */
export interface Page {
  /** The thoughts, in the order asked for. */
  thoughts: Thought[];
  /** More thoughts follow the last one in this order. */
  more: boolean;
  /** Thoughts precede the first one in this order (the page had a cursor). */
  earlier: boolean;
}

/** The thoughts service's data access. */
export interface ThoughtsStore {
  /** A page of thoughts in id order. */
  list(options: ListOptions): Promise<Page>;
  /** One thought, or `undefined`. */
  get(id: number): Promise<Thought | undefined>;
  /** Stores a new thought. */
  create(username: string, text: string, timestamp: Date): Promise<Thought>;
  /** Deletes a thought; `false` when it was already gone. */
  remove(id: number): Promise<boolean>;
}

// The database writes the time as the API shows it: no Date made and
// formatted again per row (a tenth of a list request's CPU).
const COLUMNS =
  `id, username, text, to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS timestamp`;

// One SQL text per combination of filters, rather than one text with
// `($1 IS NULL OR ...)` guards: a plan made for a text then fits every value
// it runs with, so PostgreSQL may keep one plan per prepared statement
// instead of planning every run, and no plan leaves out an index because a
// guard might be true. The search is an ILIKE the trigram index serves, its
// pattern escaped so that '%', '_' and '\' match themselves.
function listSql(
  filters: { search: boolean; username: boolean; cursor?: "<" | ">" },
  ascending: boolean,
): string {
  const where: string[] = [];
  let n = 0;
  if (filters.search) where.push(`text ILIKE $${++n}::text ESCAPE '\\'`);
  if (filters.username) where.push(`username = $${++n}::text`);
  if (filters.cursor) where.push(`id ${filters.cursor} $${++n}::integer`);
  return `SELECT ${COLUMNS} FROM thoughts${
    where.length ? ` WHERE ${where.join(" AND ")}` : ""
  } ORDER BY id ${ascending ? "ASC" : "DESC"} LIMIT $${++n} OFFSET $${++n}`;
}

/**
 * The ILIKE pattern that finds a text containing `search` literally.
 *
 * @param search What to find.
 * @returns The pattern, with `\`, `%` and `_` escaped.
 * @example Usage
 * ```ts
 * import { containsPattern } from "./store.ts";
 *
 * containsPattern("100%"); // "%100\\%%"
 * ```
 */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, "\\$&")}%`;
}

/**
 * Creates the store on a database, running the migrations first.
 *
 * @param db The database.
 * @param searchTimeoutMs How long a search may run in the database.
 * @returns The store.
 * @throws {StoreError} When the database is unavailable.
 * @example Usage
 * ```ts
 * import { openPglite } from "@thoughts/shared/store";
 * import { createThoughtsStore } from "./store.ts";
 *
 * const store = await createThoughtsStore(await openPglite());
 * ```
 */
export async function createThoughtsStore(
  db: Database,
  searchTimeoutMs = 1000,
): Promise<ThoughtsStore> {
  await migrate(db, "thoughts", MIGRATIONS);
  return {
    list: (options) => list(db, options, searchTimeoutMs),
    async get(id) {
      const [row] = await db.query<Thought>(
        `SELECT ${COLUMNS} FROM thoughts WHERE id = $1`,
        [id],
      );
      return row;
    },
    async create(username, text, timestamp) {
      const [row] = await db.query<Thought>(
        `INSERT INTO thoughts (username, text, timestamp) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
        [username, text, timestamp],
      );
      if (!row) throw new StoreError("query_failed", "Insert returned no row");
      return row;
    },
    async remove(id) {
      const rows = await db.query(
        "DELETE FROM thoughts WHERE id = $1 RETURNING id",
        [id],
      );
      return rows.length > 0;
    },
  };
}

// A page of thoughts, newest or oldest first, from a cursor.
async function list(
  db: Database,
  options: ListOptions,
  searchTimeoutMs: number,
): Promise<Page> {
  const { search, username, before, after, limit, offset } = options;
  const cursor = before !== undefined
    ? { op: "<" as const, id: before }
    : after !== undefined
    ? { op: ">" as const, id: after }
    : undefined;
  // Walking away from the order (newer while newest first): read in the
  // cursor's direction, then turn the page round.
  const turned = (cursor?.op === ">" && options.order === "desc") ||
    (cursor?.op === "<" && options.order === "asc");
  const ascending = (options.order === "asc") !== turned;
  const params: unknown[] = [];
  if (search !== undefined) params.push(containsPattern(search));
  if (username !== undefined) params.push(username);
  if (cursor) params.push(cursor.id);
  // One more than asked tells whether more lie beyond.
  params.push(limit + 1, offset);
  const text = listSql({
    search: search !== undefined,
    username: username !== undefined,
    cursor: cursor?.op,
  }, ascending);
  const rows = search === undefined
    ? await db.query<Thought>(text, params)
    // A kept plan cannot suit both a rare and a common word; and a
    // search ends at its time limit, so it cannot hold a connection.
    : await db.transaction(async (tx) => {
      await tx.query(
        `SET LOCAL statement_timeout = ${Math.trunc(searchTimeoutMs)}`,
      );
      return await tx.query<Thought>(text, params, { plan: "each" });
    });
  const beyond = rows.length > limit;
  const thoughts = rows.slice(0, limit);
  if (turned) thoughts.reverse();
  return {
    thoughts,
    more: turned ? cursor !== undefined : beyond,
    earlier: turned ? beyond : cursor !== undefined || offset > 0,
  };
}

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
];

/** A stored thought. */
export interface Thought {
  /** The thought's id, increasing with each post. */
  id: number;
  /** Who wrote it. */
  username: string;
  /** What it says. */
  text: string;
  /** When it was posted. */
  timestamp: Date;
}

/** Which thoughts to list. */
export interface ListOptions {
  /** Case-insensitive literal substring of the text. */
  search?: string;
  /** Only this user's thoughts. */
  username?: string;
  /** At most this many. */
  limit: number;
  /** Skip this many first. */
  offset: number;
}

/** The thoughts service's data access. */
export interface ThoughtsStore {
  /** Thoughts ordered by id. */
  list(options: ListOptions): Promise<Thought[]>;
  /** One thought, or `undefined`. */
  get(id: number): Promise<Thought | undefined>;
  /** Stores a new thought. */
  create(username: string, text: string, timestamp: Date): Promise<Thought>;
  /** Deletes a thought; `false` when it was already gone. */
  remove(id: number): Promise<boolean>;
}

const COLUMNS = "id, username, text, timestamp";

// One SQL text per combination of filters, rather than one text with
// `($1 IS NULL OR ...)` guards: a plan made for a text then fits every value
// it runs with, so PostgreSQL may keep one plan per prepared statement
// instead of planning every run, and no plan leaves out the username index
// because a guard might be true.
// Indexed by search (1) + username (2). strpos matches literally, so '%',
// '_' and '\' in a search match themselves.
const LIST: readonly string[] = [
  `SELECT ${COLUMNS} FROM thoughts
   ORDER BY id LIMIT $1 OFFSET $2`,
  `SELECT ${COLUMNS} FROM thoughts
   WHERE strpos(lower(text), lower($1::text)) > 0
   ORDER BY id LIMIT $2 OFFSET $3`,
  `SELECT ${COLUMNS} FROM thoughts
   WHERE username = $1::text
   ORDER BY id LIMIT $2 OFFSET $3`,
  `SELECT ${COLUMNS} FROM thoughts
   WHERE strpos(lower(text), lower($1::text)) > 0 AND username = $2::text
   ORDER BY id LIMIT $3 OFFSET $4`,
];

/**
 * Creates the store on a database, running the migrations first.
 *
 * @param db The database.
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
): Promise<ThoughtsStore> {
  await migrate(db, "thoughts", MIGRATIONS);
  return {
    list({ search, username, limit, offset }) {
      const params: unknown[] = [];
      if (search !== undefined) params.push(search);
      if (username !== undefined) params.push(username);
      params.push(limit, offset);
      return db.query<Thought>(
        LIST[
          (search === undefined ? 0 : 1) + (username === undefined ? 0 : 2)
        ]!,
        params,
      );
    },
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

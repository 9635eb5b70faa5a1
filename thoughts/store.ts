/**
 * The thoughts service's SQL, the same for both engines.
 *
 * @module
 */

import { type Database, migrate, StoreError } from "@thoughts/shared";

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
  id: number;
  username: string;
  text: string;
  timestamp: Date;
}

/** Which thoughts to list. */
export interface ListOptions {
  /** Case-insensitive literal substring of the text. */
  search?: string;
  /** Only this user's thoughts. */
  username?: string;
  limit: number;
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

/**
 * Creates the store on a database, running the migrations first.
 *
 * @param db The database.
 * @returns The store.
 * @throws {StoreError} When the database is unavailable.
 * @example Usage
 * ```ts
 * import { openPglite } from "@thoughts/shared";
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
      // strpos matches literally, so '%', '_' and '\' in a search match themselves.
      return db.query<Thought>(
        `SELECT ${COLUMNS} FROM thoughts
         WHERE ($1::text IS NULL OR strpos(lower(text), lower($1::text)) > 0)
           AND ($2::text IS NULL OR username = $2::text)
         ORDER BY id LIMIT $3 OFFSET $4`,
        [search ?? null, username ?? null, limit, offset],
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

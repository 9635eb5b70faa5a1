/**
 * The users service's SQL, the same for both engines.
 *
 * @module
 */

import { type Database, migrate, StoreError } from "@thoughts/shared/store";

/** The schema, oldest migration first; append only. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
    id integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
    username text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    creation timestamptz NOT NULL
  )`,
];

/** A user as the API shows it: never the hash. */
export interface User {
  /** The account's id. */
  id: number;
  /** The unique name. */
  username: string;
  /** When the account was created. */
  creation: Date;
}

/** A user with the stored hash, for login only. */
export interface UserWithHash extends User {
  /** The stored PBKDF2 hash, with its salt and parameters. */
  passwordHash: string;
}

/** The users service's data access. */
export interface UsersStore {
  /**
   * Creates a user.
   *
   * @throws {StoreError} `unique_violation` when the name is taken.
   */
  create(username: string, passwordHash: string, creation: Date): Promise<User>;
  /** Finds a user by exact name, with the hash. */
  findByUsername(username: string): Promise<UserWithHash | undefined>;
}

/**
 * Creates the store on a database, running the migrations first.
 *
 * @param db The database.
 * @returns The store.
 * @throws {StoreError} When the database is unavailable.
 * @example Usage
 * ```ts
 * import { openPglite } from "@thoughts/shared/store";
 * import { createUsersStore } from "./store.ts";
 *
 * const store = await createUsersStore(await openPglite());
 * ```
 */
export async function createUsersStore(db: Database): Promise<UsersStore> {
  await migrate(db, "users", MIGRATIONS);
  return {
    async create(username, passwordHash, creation) {
      const [row] = await db.query<User>(
        `INSERT INTO users (username, password_hash, creation) VALUES ($1, $2, $3)
         RETURNING id, username, creation`,
        [username, passwordHash, creation],
      );
      if (!row) throw new StoreError("query_failed", "Insert returned no row");
      return row;
    },
    async findByUsername(username) {
      const [row] = await db.query<UserWithHash>(
        `SELECT id, username, creation, password_hash AS "passwordHash" FROM users WHERE username = $1`,
        [username],
      );
      return row;
    },
  };
}

/**
 * The users service's SQL, the same for both engines.
 *
 * @module
 */

import { type Database, migrate, StoreError } from "@thoughts/shared/store";
import { usernameKey } from "./username.ts";

/** The schema, oldest migration first; append only. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
    id integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
    username text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    creation timestamptz NOT NULL
  )`,
  // Names became unique whatever their case: each row gets its comparison
  // key; of names that already differ only by case, the later ones get a
  // key of their own and keep logging in by their exact spelling.
  `ALTER TABLE users ADD COLUMN username_key text`,
  `UPDATE users SET username_key = CASE WHEN k.n = 1 THEN k.key ELSE k.key || '#' || users.id END
   FROM (SELECT id, lower(normalize(username, NFKC)) AS key,
                row_number() OVER (PARTITION BY lower(normalize(username, NFKC)) ORDER BY id) AS n
         FROM users) k
   WHERE k.id = users.id`,
  `ALTER TABLE users ALTER COLUMN username_key SET NOT NULL`,
  `CREATE UNIQUE INDEX users_by_username_key ON users (username_key)`,
];

/** A user as the API shows it: never the hash. */
export interface User {
  /** The account's id. */
  id: number;
  /** The name as chosen; unique whatever its case. */
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
   * @throws {StoreError} `unique_violation` when the name is taken in any case.
   */
  create(username: string, passwordHash: string, creation: Date): Promise<User>;
  /** Finds a user by name in any case (the exact spelling first), with the hash. */
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
        `INSERT INTO users (username, username_key, password_hash, creation)
         VALUES ($1, $2, $3, $4) RETURNING id, username, creation`,
        [username, usernameKey(username), passwordHash, creation],
      );
      if (!row) throw new StoreError("query_failed", "Insert returned no row");
      return row;
    },
    async findByUsername(username) {
      const [row] = await db.query<UserWithHash>(
        `SELECT id, username, creation, password_hash AS "passwordHash" FROM users
         WHERE username = $1 OR username_key = $2
         ORDER BY username = $1 DESC LIMIT 1`,
        [username, usernameKey(username)],
      );
      return row;
    },
  };
}

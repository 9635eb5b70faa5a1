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
  // Login throttling, shared by every replica: one row per account (by id),
  // unknown name, source address or device.
  `CREATE TABLE login_throttle (
    scope text NOT NULL,
    key text NOT NULL,
    failures integer NOT NULL DEFAULT 0,
    last_failure timestamptz,
    locked_until timestamptz,
    checking integer NOT NULL DEFAULT 0,
    checked_at timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
  )`,
  `CREATE INDEX login_throttle_by_age ON login_throttle (scope, checked_at)`,
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

/** What login throttling counts: an account, an unknown name, a source address, a device. */
export type ThrottleScope = "account" | "name" | "source" | "device";

/** One counter of login failures. */
export interface ThrottleKey {
  scope: ThrottleScope;
  key: string;
}

/** The rule of one counter: free failures, then locks doubling up to a maximum. */
export interface ThrottleRule {
  /** Failures allowed before the first lock. */
  free: number;
  /** The first lock, in seconds. */
  lockSeconds: number;
  /** The longest lock, in seconds; also how long failures are remembered. */
  maxLockSeconds: number;
}

/** How a password check ended. */
export type CheckOutcome = "right" | "wrong" | "unchecked";

/** A password check in flight is forgotten after this long (its process died). */
export const STALE_CHECK_SECONDS = 10;

/** The login-failure counters, in the database. */
export interface ThrottleStore {
  /**
   * Starts a check on a counter: admitted, and counted as in flight, when it
   * is not locked and its failures plus the checks in flight stay below
   * `free` (past it, one check at a time).
   *
   * @returns Whether admitted (and whether the row is new), or the seconds to wait.
   */
  begin(
    key: ThrottleKey,
    rule: ThrottleRule,
    now: Date,
  ): Promise<
    { admitted: true; created: boolean } | { admitted: false; wait: number }
  >;
  /** Ends a check: a wrong password counts and may lock; a right one clears the failures. */
  end(
    key: ThrottleKey,
    outcome: CheckOutcome,
    rule: ThrottleRule,
    now: Date,
  ): Promise<void>;
  /**
   * Deletes counters of a scope idle past `forgetSeconds` and unlocked, and
   * beyond the `keep` most recently used.
   *
   * @returns How many were deleted.
   */
  prune(
    scope: ThrottleScope,
    keep: number,
    forgetSeconds: number,
    now: Date,
  ): Promise<number>;
}

/** The users service's data access. */
export interface UsersStore {
  /** The login-failure counters. */
  throttle: ThrottleStore;
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
    throttle: throttleStore(db),
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

const ago = (now: Date, seconds: number) =>
  new Date(now.getTime() - seconds * 1000);

// The failures a wrong password leaves: one more, or one after a long quiet.
const NEXT_FAILURES =
  "CASE WHEN last_failure > $4::timestamptz THEN failures + 1 ELSE 1 END";

function throttleStore(db: Database): ThrottleStore {
  return {
    begin: (key, rule, now) => beginCheck(db, key, rule, now),
    end: (key, outcome, rule, now) => endCheck(db, key, outcome, rule, now),
    prune: (scope, keep, forgetSeconds, now) =>
      pruneCounters(db, scope, keep, forgetSeconds, now),
  };
}

async function beginCheck(
  db: Database,
  { scope, key }: ThrottleKey,
  rule: ThrottleRule,
  now: Date,
): ReturnType<ThrottleStore["begin"]> {
  const [row] = await db.query<{ created: boolean }>(
    `INSERT INTO login_throttle AS t (scope, key, checking, checked_at)
     VALUES ($1, $2, 1, $3::timestamptz)
     ON CONFLICT (scope, key) DO UPDATE SET
       checking = CASE WHEN t.checked_at > $4::timestamptz
         THEN t.checking ELSE 0 END + 1,
       checked_at = $3::timestamptz
     WHERE (t.locked_until IS NULL OR t.locked_until <= $3::timestamptz)
       AND t.failures + CASE WHEN t.checked_at > $4::timestamptz
         THEN t.checking ELSE 0 END
         < greatest($5::integer, t.failures + 1)
     RETURNING (xmax = 0) AS created`,
    [scope, key, now, ago(now, STALE_CHECK_SECONDS), rule.free],
  );
  if (row) return { admitted: true, created: row.created };
  const [state] = await db.query<{ lockedUntil: Date | null }>(
    `SELECT locked_until AS "lockedUntil" FROM login_throttle
     WHERE scope = $1 AND key = $2`,
    [scope, key],
  );
  const locked = (state?.lockedUntil?.getTime() ?? 0) - now.getTime();
  // Not locked: checks in flight fill the free failures; one ends soon.
  return { admitted: false, wait: Math.max(1, Math.ceil(locked / 1000)) };
}

async function endCheck(
  db: Database,
  { scope, key }: ThrottleKey,
  outcome: CheckOutcome,
  rule: ThrottleRule,
  now: Date,
): Promise<void> {
  const set = {
    unchecked: "",
    right: ", failures = 0, last_failure = NULL, locked_until = NULL",
    wrong: `, failures = ${NEXT_FAILURES}, last_failure = $3::timestamptz,
      locked_until = CASE WHEN ${NEXT_FAILURES} >= $5::integer
        THEN $3::timestamptz + make_interval(secs => least(
          $6::integer * power(2, ${NEXT_FAILURES} - $5::integer), $7::integer))
        ELSE NULL END`,
  }[outcome];
  const params = outcome === "wrong"
    ? [
      scope,
      key,
      now,
      ago(now, rule.maxLockSeconds),
      rule.free,
      rule.lockSeconds,
      rule.maxLockSeconds,
    ]
    : [scope, key];
  await db.query(
    `UPDATE login_throttle SET checking = greatest(checking - 1, 0)${set}
     WHERE scope = $1 AND key = $2`,
    params,
  );
}

async function pruneCounters(
  db: Database,
  scope: ThrottleScope,
  keep: number,
  forgetSeconds: number,
  now: Date,
): Promise<number> {
  const rows = await db.query<{ key: string }>(
    `DELETE FROM login_throttle WHERE scope = $1 AND key IN (
       SELECT key FROM login_throttle WHERE scope = $1
         AND checked_at < $2::timestamptz
         AND (locked_until IS NULL OR locked_until < $3::timestamptz)
       UNION ALL
       (SELECT key FROM login_throttle WHERE scope = $1
         ORDER BY checked_at DESC OFFSET $4::integer))
     RETURNING key`,
    [scope, ago(now, forgetSeconds), now, keep],
  );
  return rows.length;
}

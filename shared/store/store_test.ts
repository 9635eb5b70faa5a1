import {
  assertEquals,
  assertRejects,
  openTestDatabase,
  testEngine,
  testPostgresSettings,
} from "../testing.ts";
import { openPostgres } from "./postgres.ts";
import { migrate, StoreError, toStoreError } from "./mod.ts";

const MIGRATIONS = [
  "CREATE TABLE items (id integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY, name text NOT NULL UNIQUE)",
  "ALTER TABLE items ADD COLUMN created timestamptz NOT NULL DEFAULT now()",
];

Deno.test("migrate() applies each migration once", async () => {
  await using db = await openTestDatabase();
  assertEquals(await migrate(db, "items", MIGRATIONS), 2);
  assertEquals(await migrate(db, "items", MIGRATIONS), 0);
  const more = [...MIGRATIONS, "CREATE INDEX items_created ON items (created)"];
  assertEquals(await migrate(db, "items", more), 1);
});

Deno.test("a database creates, inserts and selects with parameters", async () => {
  await using db = await openTestDatabase();
  await migrate(db, "items", MIGRATIONS);
  const [row] = await db.query<{ id: number; name: string }>(
    "INSERT INTO items (name) VALUES ($1) RETURNING id, name",
    ["it's; DROP TABLE items; --"],
  );
  assertEquals(row, { id: 1, name: "it's; DROP TABLE items; --" });
  const rows = await db.query<{ name: string; created: Date }>(
    "SELECT name, created FROM items",
  );
  assertEquals(rows.length, 1);
  assertEquals(rows[0]!.created instanceof Date, true);
});

Deno.test("a unique violation surfaces as a typed StoreError", async () => {
  await using db = await openTestDatabase();
  await migrate(db, "items", MIGRATIONS);
  await db.query("INSERT INTO items (name) VALUES ($1)", ["a"]);
  const error = await assertRejects(
    () => db.query("INSERT INTO items (name) VALUES ($1)", ["a"]),
    StoreError,
  );
  assertEquals([error.code, error.constraint], [
    "unique_violation",
    "items_name_key",
  ]);
});

Deno.test("a failed transaction writes nothing", async () => {
  await using db = await openTestDatabase();
  await migrate(db, "items", MIGRATIONS);
  await assertRejects(
    () =>
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO items (name) VALUES ($1)", ["b"]);
        await tx.query("INSERT INTO items (name) VALUES ($1)", ["b"]);
      }),
    StoreError,
  );
  assertEquals(await db.query("SELECT * FROM items"), []);
});

Deno.test("toStoreError() classifies connection failures as unavailable", async (t) => {
  for (const code of ["ECONNREFUSED", "CONNECTION_CLOSED", "08006", "57P01"]) {
    await t.step(
      code,
      () => assertEquals(toStoreError({ code }).code, "unavailable"),
    );
  }
  assertEquals(toStoreError(new Error("syntax")).code, "query_failed");
});

Deno.test({
  name:
    "openPostgres() prepares a query once per connection, unless told not to",
  ignore: testEngine() !== "POSTGRES",
  async fn(t) {
    const text = `SELECT $1::int + 1 AS n -- ${crypto.randomUUID()}`;
    for (const [prepare, kept] of [[undefined, true], [false, false]]) {
      await t.step(`prepare: ${prepare}`, async () => {
        const db = openPostgres({ ...testPostgresSettings(), max: 1, prepare });
        try {
          assertEquals(await db.query(text, [1]), [{ n: 2 }]);
          assertEquals(await db.query(text, [2]), [{ n: 3 }]);
          const held = await db.query<{ statement: string }>(
            "SELECT statement FROM pg_prepared_statements",
          );
          assertEquals(held.some((s) => s.statement === text), kept);
        } finally {
          await db.close();
        }
      });
    }
  },
});

import {
  assertEquals,
  assertRejects,
  openTestDatabase,
  testEngine,
  testPostgresSettings,
} from "@thoughts/testing";
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

Deno.test("migrate() is safe when five replicas start at once on a fresh database, twenty times", async () => {
  for (let round = 0; round < 20; round++) {
    await using db = await openTestDatabase();
    const applied = await Promise.all(
      Array.from({ length: 5 }, () => migrate(db, "items", MIGRATIONS)),
    );
    // Each migration ran exactly once, whichever replica ran it.
    assertEquals(applied.reduce((a, b) => a + b, 0), MIGRATIONS.length);
  }
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
    "openPostgres() prepares a query once per connection, unless told not to or asked to plan each run",
  ignore: testEngine() !== "POSTGRES",
  async fn(t) {
    const text = `SELECT $1::int + 1 AS n -- ${crypto.randomUUID()}`;
    const cases = [
      [undefined, undefined, true],
      [false, undefined, false],
      [undefined, "each", false],
    ] as const;
    for (const [prepare, plan, kept] of cases) {
      await t.step(`prepare: ${prepare}, plan: ${plan}`, async () => {
        const db = openPostgres({ ...testPostgresSettings(), max: 1, prepare });
        try {
          assertEquals(await db.query(text, [1], { plan }), [{ n: 2 }]);
          assertEquals(await db.query(text, [2], { plan }), [{ n: 3 }]);
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

Deno.test({
  name:
    "openPostgres() opens connections only as concurrent queries need them, at most max",
  ignore: testEngine() !== "POSTGRES",
  async fn(t) {
    const db = openPostgres({ ...testPostgresSettings(), max: 3 });
    const pids = async (concurrent: number) =>
      new Set(
        (await Promise.all(
          Array.from({ length: concurrent }, () =>
            db.query<{ pid: number }>(
              "SELECT pg_backend_pid() AS pid, pg_sleep(0.2)",
            )),
        )).map(([row]) => row!.pid),
      );
    try {
      await t.step("one after another: one connection", async () => {
        const seen = new Set<number>();
        for (let i = 0; i < 4; i++) {
          for (const pid of await pids(1)) seen.add(pid);
        }
        assertEquals(seen.size, 1);
      });
      await t.step("three at once: three connections", async () => {
        assertEquals((await pids(3)).size, 3);
      });
      await t.step("seven at once: still three", async () => {
        assertEquals((await pids(7)).size, 3);
      });
      await t.step("a transaction keeps its connection", async () => {
        const [inside, during] = await Promise.all([
          db.transaction(async (tx) => {
            const [a] = await tx.query<{ pid: number }>(
              "SELECT pg_backend_pid() AS pid, pg_sleep(0.2)",
            );
            const [b] = await tx.query<{ pid: number }>(
              "SELECT pg_backend_pid() AS pid",
            );
            return [a!.pid, b!.pid];
          }),
          pids(2),
        ]);
        assertEquals(inside[0], inside[1]);
        assertEquals(during.has(inside[0]!), false);
      });
    } finally {
      await db.close();
    }
  },
});

import { assertEquals, assertRejects } from "@thoughts/testing";
import { type Database, StoreError, toStoreError } from "./database.ts";
import { watchDiskFull } from "./disk_full.ts";

Deno.test("readiness fails while writes fail for a full disk, and returns after", async () => {
  let full = true;
  let pings = 0;
  // PostgreSQL's answer to a write on a full disk: SQLSTATE 53100.
  const fake: Database = {
    engine: "POSTGRES",
    query: () =>
      full
        ? Promise.reject(toStoreError({ code: "53100" }))
        : Promise.resolve([]),
    transaction: () => Promise.reject(new Error("unused")),
    ping: () => (pings++, Promise.resolve()),
    close: () => Promise.resolve(),
  };
  let clock = 0;
  const db = watchDiskFull(fake, 10_000, () => clock);
  await db.ping();
  const error = await assertRejects(
    () => db.query("INSERT INTO t VALUES (1)"),
    StoreError,
  );
  assertEquals([error.code, error.message], [
    "disk_full",
    "Database storage full",
  ]);
  await assertRejects(() => db.ping(), StoreError, "Database storage full");
  full = false;
  clock = 9_999;
  await assertRejects(() => db.ping(), StoreError);
  clock = 10_000;
  await db.ping();
  assertEquals(pings, 2);
});

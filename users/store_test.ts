import { migrate } from "@thoughts/shared/store";
import { assertEquals, openTestDatabase } from "@thoughts/testing";
import { createUsersStore, MIGRATIONS } from "./store.ts";

Deno.test("names that differ only by case before the change keep their accounts, each found by its exact spelling", async () => {
  await using db = await openTestDatabase();
  // The schema as it was, with two names the new rule would call one.
  await migrate(db, "users", MIGRATIONS.slice(0, 1));
  for (const name of ["alice", "Alice"]) {
    await db.query(
      "INSERT INTO users (username, password_hash, creation) VALUES ($1, 'h', now())",
      [name],
    );
  }
  const store = await createUsersStore(db);
  assertEquals((await store.findByUsername("Alice"))?.username, "Alice");
  assertEquals((await store.findByUsername("alice"))?.username, "alice");
  assertEquals((await store.findByUsername("ALICE"))?.username, "alice");
  const taken = await store.create("ALICE", "h", new Date()).catch((e) =>
    e.code
  );
  assertEquals(taken, "unique_violation");
});

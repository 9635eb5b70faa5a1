import { assertEquals, assertOk, openTestDatabase } from "@thoughts/testing";
import { containsPattern, createThoughtsStore } from "./store.ts";

Deno.test("searches are served by the trigram index, and stay literal", async () => {
  await using db = await openTestDatabase();
  const store = await createThoughtsStore(db);
  for (const text of ["50% off", "5000 off", "a_b", "axb", "c\\d", "Cat"]) {
    await store.create("ada", text, new Date(0));
  }
  const found = async (search: string) =>
    (await store.list({ search, order: "asc", limit: 10, offset: 0 }))
      .thoughts.map((t) => t.text);
  assertEquals(await found("%"), ["50% off"]);
  assertEquals(await found("_"), ["a_b"]);
  assertEquals(await found("\\"), ["c\\d"]);
  assertEquals(await found("cAT"), ["Cat"]);
  // With sequential scans ruled out, a plan exists only through the index.
  const plan = await db.transaction(async (tx) => {
    await tx.query("SET LOCAL enable_seqscan = off");
    return await tx.query<{ "QUERY PLAN": string }>(
      `EXPLAIN SELECT id FROM thoughts WHERE text ILIKE $1::text ESCAPE '\\' ORDER BY id DESC LIMIT 20`,
      [containsPattern("rare word")],
    );
  });
  const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
  assertOk(text.includes("thoughts_text_trgm"), text);
});

import {
  assertEquals,
  assertOk,
  openTestDatabase,
  testEngine,
} from "@thoughts/testing";
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

Deno.test({
  name:
    "a search stops at its time limit with a timeout, and the next query is served",
  // PGlite runs in the service's own thread: PostgreSQL alone cuts a
  // statement short.
  ignore: testEngine() !== "POSTGRES",
}, async () => {
  await using db = await openTestDatabase();
  const store = await createThoughtsStore(db, 1);
  await db.query(
    `INSERT INTO thoughts (username, text, timestamp)
     SELECT 'ada', 'about tea ' || g, now() FROM generate_series(1, 200000) g`,
  );
  const error = await store.list({
    search: "tea",
    order: "desc",
    limit: 20,
    offset: 0,
  }).catch((e) => e);
  assertEquals([error?.name, error?.code], ["StoreError", "timeout"]);
  assertEquals(
    (await store.list({ order: "desc", limit: 1, offset: 0 })).thoughts.length,
    1,
  );
});

import { assertEquals, assertOk } from "@thoughts/testing";
import { memoryLogger } from "@thoughts/shared/log";
import { testThoughtsApp } from "../../thoughts/testing.ts";
import { createThoughtsStore } from "../../thoughts/store.ts";
import { createLayerApp, type Layer, LAYERS } from "./layers.ts";

const layers = Object.keys(LAYERS) as Layer[];

Deno.test("each layer answers one thought as the service does, with its own layers and no later ones", async () => {
  await using service = await testThoughtsApp();
  const store = await createThoughtsStore(service.db);
  const thought = await store.create("ada", "Hello", new Date(0));
  const path = `/api/thoughts/${thought.id}/`;
  const expected = await (await service.app.request(path)).json();
  const rejected = (await service.app.request("/api/thoughts/abc/")).status;
  assertEquals(rejected, 400);
  for (const [i, layer] of layers.entries()) {
    const { logger, records } = memoryLogger();
    const app = createLayerApp(layer, store, logger);
    const res = await app.request(path, {
      headers: { "X-Request-ID": "bench-1" },
    });
    assertEquals(res.status, 200, layer);
    assertEquals(await res.json(), expected, layer);
    const has = (l: Layer) => layers.indexOf(l) <= i;
    assertEquals(
      res.headers.get("X-Request-ID"),
      has("request-id") ? "bench-1" : null,
      layer,
    );
    assertEquals(
      records.map((r) => [r.route, r.requestId, r.status]),
      has("access-log") ? [["/api/thoughts/:id", "bench-1", 200]] : [],
      layer,
    );
    const bad = (await app.request("/api/thoughts/abc/")).status;
    assertEquals(bad === rejected, has("validation"), `${layer}: ${bad}`);
  }
});

Deno.test("the layer server refuses an unknown layer by name", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./layers.ts", import.meta.url).pathname],
    env: { BENCH_LAYER: "bogus" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertOk(!out.success);
  const stderr = new TextDecoder().decode(out.stderr);
  assertOk(
    stderr.includes(
      "Unknown BENCH_LAYER 'bogus': use one of hono, request-id, access-log, validation",
    ),
    stderr,
  );
});

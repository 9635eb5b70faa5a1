import { assertEquals, assertOk } from "@thoughts/testing";
import { memoryTable, memoryUnderLoad } from "./_memory.ts";

Deno.test("memoryUnderLoad sees a process grow during the load", async () => {
  // A process that takes 64 MB of memory 300 ms after it starts.
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "setTimeout(() => { globalThis.kept = new Uint8Array(64 << 20).fill(1); }, 300); setTimeout(() => {}, 60_000);",
    ],
    stdout: "null",
  }).spawn();
  try {
    await new Promise((r) => setTimeout(r, 100));
    const [figures] = await memoryUnderLoad(
      [child.pid],
      () => new Promise((r) => setTimeout(r, 1500)),
      0,
    );
    assertOk(figures!.peak >= figures!.idle + 50, JSON.stringify(figures));
    assertOk(figures!.end >= figures!.idle + 50, JSON.stringify(figures));
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
});

Deno.test("the memory table says which goal each process misses", () => {
  const lines = memoryTable([
    ["lean", { idle: 80, end: 90, peak: 110, after: 85 }],
    ["heavy", { idle: 80, end: 190, peak: 200, after: 120 }],
    ["steep", { idle: 40, end: 70, peak: 70, after: 42 }],
  ], 30);
  assertOk(lines[0]!.includes("30 s after"));
  assertOk(lines[1]!.endsWith("meets the goal"), lines[1]);
  assertEquals(
    lines[2]!.split("misses: ")[1],
    "peak over 120 MB, peak over 1.5 × idle, not back within 10 % of idle",
  );
  assertEquals(lines[3]!.split("misses: ")[1], "peak over 1.5 × idle");
});

import { assertEquals, assertThrows } from "@thoughts/testing";
import { median } from "./_median.ts";

Deno.test("median() takes the middle measured value, in numeric order", async (t) => {
  const cases: [number[], number][] = [
    [[5], 5],
    [[3, 1, 2], 2],
    [[10, 9, 100, 1], 10],
    [[0.5, 12, 3], 3],
  ];
  for (const [xs, expected] of cases) {
    await t.step(JSON.stringify(xs), () => assertEquals(median(xs), expected));
  }
});

Deno.test("median() refuses an empty list", () => {
  assertThrows(() => median([]), RangeError, "median of nothing");
});

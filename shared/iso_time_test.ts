import { assertEquals, assertThrows } from "./assert.ts";
import { isoTime } from "./iso_time.ts";

const DAY_MS = 86_400_000;

Deno.test("isoTime() writes what toISOString() writes", async (t) => {
  const cases = [
    "1970-01-01T00:00:00.000Z",
    "1969-12-31T23:59:59.999Z",
    "2000-02-29T12:34:56.789Z",
    "1900-02-28T23:59:59.999Z",
    "1900-03-01T00:00:00.000Z",
    "2026-11-25T12:00:00.007Z",
    "0000-01-01T00:00:00.000Z",
    "0000-02-29T00:00:00.000Z",
    "9999-12-31T23:59:59.999Z",
    "-000001-12-31T23:59:59.999Z",
    "+010000-01-01T00:00:00.000Z",
    "+275760-09-13T00:00:00.000Z",
  ];
  for (const text of cases) {
    await t.step(text, () => {
      assertEquals(isoTime(new Date(text)), text);
    });
  }
});

Deno.test("isoTime() agrees with toISOString() on every day from 1600 to 2400", () => {
  const start = Date.UTC(1600, 0, 1);
  const end = Date.UTC(2400, 0, 1);
  let mismatches = 0;
  // A different time of day each day, so every hour, minute, second and
  // millisecond field is covered too.
  for (let ms = start, i = 0; ms < end; ms += DAY_MS, i++) {
    const date = new Date(ms + ((i * 7_919_993) % DAY_MS));
    if (isoTime(date) !== date.toISOString()) mismatches++;
  }
  assertEquals(mismatches, 0);
});

Deno.test("isoTime() agrees with toISOString() on random instants of years 0000 to 9999", () => {
  const first = new Date("0000-01-01T00:00:00.000Z").getTime();
  const end = new Date("+010000-01-01T00:00:00.000Z").getTime();
  const wrong: string[] = [];
  for (let i = 0; i < 200_000; i++) {
    const date = new Date(first + Math.floor(Math.random() * (end - first)));
    if (isoTime(date) !== date.toISOString()) wrong.push(date.toISOString());
  }
  assertEquals(wrong, []);
});

Deno.test("isoTime() refuses an invalid date as toISOString() does", () => {
  assertThrows(() => isoTime(new Date("not a date")), RangeError);
});

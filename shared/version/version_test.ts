import { assertEquals, assertThrows } from "@thoughts/testing";
import {
  compareVersions,
  parseVersion,
  satisfiesMinimum,
  VersionError,
} from "./version.ts";

Deno.test("parseVersion() reads releases and git describe output", async (t) => {
  const table: [string, string, number, boolean][] = [
    ["v1.6", "1.6.0", 0, false],
    ["v2.3.1", "2.3.1", 0, false],
    ["v1.6-17-g2257f9c", "1.6.0", 17, false],
    ["v1.6-17-g2257f9c-dirty", "1.6.0", 17, true],
    ["v3.7-dirty", "3.7.0", 0, true],
  ];
  for (const [text, release, after, dirty] of table) {
    await t.step(text, () => {
      const v = parseVersion(text);
      assertEquals([v.release, v.commitsAfter, v.dirty], [
        release,
        after,
        dirty,
      ]);
    });
  }
});

Deno.test("compareVersions() orders describe output between releases", async (t) => {
  const ascending = [
    "v0.9",
    "v1.6",
    "v1.6-1-gabcdef0",
    "v1.6-17-g2257f9c",
    "v1.6.1",
    "v1.7",
    "v1.9",
    "v1.10",
    "v1.99",
    "v2.0",
  ];
  for (let i = 0; i < ascending.length - 1; i++) {
    const [low, high] = [ascending[i]!, ascending[i + 1]!];
    await t.step(`${low} < ${high}`, () => {
      assertEquals(compareVersions(low, high), -1);
      assertEquals(compareVersions(high, low), 1);
    });
  }
  await t.step("equal releases compare equal", () => {
    assertEquals(compareVersions("v1.6", "v1.6.0"), 0);
  });
});

Deno.test("parseVersion() rejects garbage instead of guessing", async (t) => {
  for (
    const text of [
      "BAD VERSION",
      "",
      "1.6",
      "v1",
      "v1.6-x",
      "v01.6",
      " v1.6",
      "v1.6-3",
    ]
  ) {
    await t.step(`'${text}'`, () => {
      assertThrows(
        () => parseVersion(text),
        VersionError,
        `Cannot parse version: '${text}'`,
      );
    });
  }
  assertThrows(() => compareVersions("v1.6", "BAD VERSION"), VersionError);
});

Deno.test("satisfiesMinimum() holds at and above the minimum only", () => {
  assertEquals(satisfiesMinimum("v1.5", "v1.6"), false);
  assertEquals(satisfiesMinimum("v1.6", "v1.6"), true);
  assertEquals(satisfiesMinimum("v1.6-3-gabcdef0", "v1.6"), true);
  assertEquals(satisfiesMinimum("v2.2-40-gabcdef0", "v2.3"), false);
});

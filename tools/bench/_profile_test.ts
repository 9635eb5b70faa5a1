import { assertEquals } from "@thoughts/testing";
import {
  costlier,
  type CpuProfile,
  folderHotspots,
  hotspots,
  perRequest,
} from "./_profile.ts";

const frame = (functionName: string, lineNumber = 0) => ({
  functionName,
  url: "file:///app/x.js",
  lineNumber,
});
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(idle)") },
    { id: 2, callFrame: frame("parse", 9) },
    { id: 3, callFrame: frame("") },
  ],
  samples: [2, 2, 3, 1],
  timeDeltas: [1000, 2000, 500, 500],
};

Deno.test("hotspots() sums self time by function, the costliest first", () => {
  assertEquals(hotspots(profile, 2), [
    { name: "parse (x.js:10)", ms: 3, share: 0.75 },
    { name: "(anonymous) (x.js:1)", ms: 0.5, share: 0.125 },
  ]);
});

Deno.test("folderHotspots() merges every profile of a folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assertEquals(await folderHotspots(dir), []);
    for (const name of ["a.cpuprofile", "b.cpuprofile"]) {
      await Deno.writeTextFile(`${dir}/${name}`, JSON.stringify(profile));
    }
    await Deno.writeTextFile(`${dir}/notes.txt`, "not a profile");
    const [top] = await folderHotspots(dir, 1);
    assertEquals(top, { name: "parse (x.js:10)", ms: 6, share: 0.75 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("perRequest() spreads the CPU time over the busy samples only", () => {
  const costs = perRequest(hotspots(profile), 70);
  assertEquals(costs.get("parse (x.js:10)"), 60);
  assertEquals(costs.get("(anonymous) (x.js:1)"), 10);
  assertEquals(costs.has("(idle) (x.js:1)"), false);
});

Deno.test("costlier() lists where the first spends most beyond the second", () => {
  const ours = new Map([["f", 3], ["g", 1], ["h", 2]]);
  const floor = new Map([["f", 1], ["h", 2], ["k", 0.5]]);
  assertEquals(costlier(ours, floor, 2), [["f", 3, 1], ["g", 1, 0]]);
});

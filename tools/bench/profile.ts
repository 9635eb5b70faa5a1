/**
 * Where a server's CPU time goes: V8's CPU profiles (`--cpu-prof`, on Deno
 * and Node alike) summed by function, self time only.
 *
 * @module
 */

/** The parts of a `.cpuprofile` the summary reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of the profile. */
export interface Hotspot {
  /** `name (file:line)`; `(anonymous)` when unnamed. */
  name: string;
  /** Self time, ms. */
  ms: number;
  /** Self time, share of all samples. */
  share: number;
}

/**
 * The functions with the most self time, V8's own idle and garbage
 * collection included (they are where the time goes too).
 *
 * @param profile The parsed `.cpuprofile`.
 * @param top How many to keep.
 * @returns The hotspots, most first.
 * @example Usage
 * ```ts
 * import { hotspots } from "./profile.ts";
 *
 * const frame = (functionName: string) => ({ functionName, url: "file:///app/x.js", lineNumber: 9 });
 * const profile = {
 *   nodes: [{ id: 1, callFrame: frame("parse") }, { id: 2, callFrame: frame("") }],
 *   samples: [1, 1, 2, 1],
 *   timeDeltas: [1000, 1000, 1000, 1000],
 * };
 * hotspots(profile, 1); // [{ name: "parse (x.js:10)", ms: 3, share: 0.75 }]
 * ```
 */
export function hotspots(profile: CpuProfile, top = 15): Hotspot[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byNode.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    if (!frame) return;
    const file = frame.url.split("/").at(-1) || frame.url;
    const name = `${frame.functionName || "(anonymous)"}${
      file ? ` (${file}:${frame.lineNumber + 1})` : ""
    }`;
    self.set(name, (self.get(name) ?? 0) + us);
  });
  return [...self.entries()]
    .sort(([, a], [, b]) => b - a)
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / total }));
}

/**
 * Reads the profiles a process wrote into a folder and sums them.
 *
 * @param dir The `--cpu-prof-dir`.
 * @param top How many to keep.
 * @returns The hotspots of all of them together.
 * @example Usage
 * ```ts
 * import { folderHotspots } from "./profile.ts";
 *
 * await folderHotspots(await Deno.makeTempDir()); // []
 * ```
 */
export async function folderHotspots(
  dir: string,
  top = 15,
): Promise<Hotspot[]> {
  const merged: CpuProfile = { nodes: [], samples: [], timeDeltas: [] };
  let offset = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".cpuprofile")) continue;
    const one: CpuProfile = JSON.parse(
      await Deno.readTextFile(`${dir}/${entry.name}`),
    );
    for (const node of one.nodes) {
      merged.nodes.push({ ...node, id: node.id + offset });
    }
    merged.samples.push(...one.samples.map((id) => id + offset));
    merged.timeDeltas.push(...one.timeDeltas);
    offset += Math.max(0, ...one.nodes.map((n) => n.id)) + 1;
  }
  return merged.samples.length ? hotspots(merged, top) : [];
}

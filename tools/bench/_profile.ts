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

/** Reads the profiles a process wrote into a folder and sums them. */
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

/**
 * What each function costs a request: its share of the busy samples (idle
 * left out) times the process's CPU time per request.
 */
export function perRequest(
  spots: Hotspot[],
  cpuUs: number,
): Map<string, number> {
  const idle = spots.find((s) => s.name.startsWith("(idle)"))?.share ?? 0;
  return new Map(
    spots.filter((s) => !s.name.startsWith("(idle)")).map((
      s,
    ) => [s.name, (s.share / (1 - idle)) * cpuUs]),
  );
}

/**
 * The functions on which `a` spends the most more time per request than `b`.
 */
export function costlier(
  a: Map<string, number>,
  b: Map<string, number>,
  top = 12,
): [name: string, a: number, b: number][] {
  return [...new Set([...a.keys(), ...b.keys()])]
    .map((name): [string, number, number] => [
      name,
      a.get(name) ?? 0,
      b.get(name) ?? 0,
    ])
    .sort((x, y) => (y[1] - y[2]) - (x[1] - x[2]))
    .slice(0, top);
}

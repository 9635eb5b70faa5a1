/**
 * Memory of server processes under load, for `deno task bench`: RSS idle,
 * at the end of the load, at its peak, and some time after.
 *
 * @module
 */

/** One process's resident memory through a load, in MB. */
export interface MemoryFigures {
  idle: number;
  /** When the load ended. */
  end: number;
  /** The most during the load. */
  peak: number;
  /** After the settling time. */
  after: number;
}

/** The goal: a peak of at most 120 MB and 1.5 × idle, back within 10 % of idle. */
export const MEMORY_GOAL = {
  peakMb: 120,
  peakOverIdle: 1.5,
  afterOverIdle: 1.1,
};

function status(pid: number, field: "VmRSS" | "VmHWM"): number {
  const text = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) / 1024;
}

/** A process's resident memory now. */
export function rssMb(pid: number): number {
  return status(pid, "VmRSS");
}

/**
 * Runs `load` and reports each process's memory: idle before, sampled every
 * 200 ms during it (and the kernel's own peak, reset first where allowed),
 * at its end, and `settleSeconds` after.
 */
export async function memoryUnderLoad(
  pids: number[],
  load: () => Promise<unknown>,
  settleSeconds = 30,
  idle: number[] = pids.map(rssMb),
): Promise<MemoryFigures[]> {
  // Writing 5 to clear_refs resets the peak (VmHWM); it needs the process's
  // owner or root, else the samples alone give the peak.
  const reset = pids.map((pid) => {
    try {
      Deno.writeTextFileSync(`/proc/${pid}/clear_refs`, "5");
      return true;
    } catch {
      return false;
    }
  });
  const peak = [...idle];
  const sample = () =>
    pids.forEach((pid, i) => peak[i] = Math.max(peak[i]!, rssMb(pid)));
  const timer = setInterval(sample, 200);
  try {
    await load();
  } finally {
    clearInterval(timer);
  }
  sample();
  pids.forEach((pid, i) => {
    if (reset[i]) peak[i] = Math.max(peak[i]!, status(pid, "VmHWM"));
  });
  const end = pids.map(rssMb);
  await new Promise((r) => setTimeout(r, settleSeconds * 1000));
  const after = pids.map(rssMb);
  return pids.map((_, i) => ({
    idle: idle[i]!,
    end: end[i]!,
    peak: peak[i]!,
    after: after[i]!,
  }));
}

/**
 * The memory table, one row per process, with whether each meets
 * {@linkcode MEMORY_GOAL}.
 */
export function memoryTable(
  rows: [name: string, figures: MemoryFigures][],
  settleSeconds: number,
): string[] {
  const mb = (n: number) => n.toFixed(0).padStart(8);
  const lines = [
    `${
      "RSS MB".padEnd(24)
    }    idle  end of load  peak  ${settleSeconds} s after  peak/idle`,
  ];
  for (const [name, f] of rows) {
    const misses = [
      f.peak > MEMORY_GOAL.peakMb && `peak over ${MEMORY_GOAL.peakMb} MB`,
      f.peak > MEMORY_GOAL.peakOverIdle * f.idle &&
      `peak over ${MEMORY_GOAL.peakOverIdle} × idle`,
      f.after > MEMORY_GOAL.afterOverIdle * f.idle &&
      `not back within 10 % of idle`,
    ].filter(Boolean);
    lines.push(
      `${name.padEnd(24)}${mb(f.idle)}${mb(f.end).padStart(13)}${
        mb(f.peak).padStart(6)
      }${mb(f.after).padStart(12)}${
        (f.peak / f.idle).toFixed(2).padStart(11)
      }   ${
        misses.length === 0 ? "meets the goal" : `misses: ${misses.join(", ")}`
      }`,
    );
  }
  return lines;
}

/**
 * The CPU time a process has used, all its threads together. A server
 * pinned to a core of its own and kept busy serves as many requests as its
 * CPU time per request allows; that cost is a steadier measure of a server
 * than requests/s on a shared VM, whose speed drifts from second to second
 * and moves a 3 s throughput run by a fifth either way.
 *
 * @module
 */

/**
 * Reads the user plus system clock ticks of a `/proc/<pid>/stat` line.
 *
 * @throws {Error} When the line is not a stat line.
 */
export function parseCpuTicks(stat: string): number {
  // The command name, in parentheses, may hold spaces and parentheses
  // itself; the fields after the last ")" start at the state (field 3).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!stat.includes(")") || !Number.isInteger(utime + stime)) {
    throw new Error(`Cannot read a process stat line: '${stat.slice(0, 80)}'`);
  }
  return utime + stime;
}

/**
 * Makes a reader of a process's CPU seconds, asking the system once how
 * long a clock tick is.
 *
 * @throws {Error} When `getconf` is missing (not Linux).
 */
export async function cpuReader(): Promise<(pid: number) => number> {
  const out = await new Deno.Command("getconf", { args: ["CLK_TCK"] })
    .output();
  const ticksPerSecond = Number(new TextDecoder().decode(out.stdout));
  if (!out.success || !(ticksPerSecond > 0)) {
    throw new Error("Cannot read the clock tick length: 'getconf CLK_TCK'");
  }
  return (pid) =>
    parseCpuTicks(Deno.readTextFileSync(`/proc/${pid}/stat`)) /
    ticksPerSecond;
}

/**
 * Waits until processes stop using the CPU, so work left in flight by one
 * run (a login's PBKDF2 goes on after its client has gone) is not billed to
 * the next.
 */
export async function settle(
  cpuSeconds: (pid: number) => number,
  pids: number[],
  { stepMs = 200, busy = 0.1, maxMs = 5000 } = {},
): Promise<boolean> {
  const total = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const deadline = performance.now() + maxMs;
  let before = total();
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, stepMs));
    const now = total();
    if (now - before < busy * stepMs / 1000) return true;
    before = now;
  }
  return false;
}

/**
 * Pins processes to CPUs with `taskset` (util-linux), so the servers being
 * measured get a core of their own while the database and the load
 * generator share the rest: the figures then measure the servers, not
 * which process the scheduler favoured in that second.
 *
 * @module
 */

/**
 * The CPUs of this machine split in two: the first for the servers under
 * test, the rest for everything else; `undefined` when pinning cannot
 * help (one core) or `taskset` is missing.
 */
export async function cpuSplit(
  cores = navigator.hardwareConcurrency,
): Promise<{ servers: string; others: string } | undefined> {
  if (cores < 2) return undefined;
  try {
    const { success } = await new Deno.Command("taskset", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!success) return undefined;
  } catch {
    return undefined;
  }
  return { servers: "0", others: cores === 2 ? "1" : `1-${cores - 1}` };
}

/**
 * Pins every thread of each process, and of its children, to `cpus`.
 * Processes they start later inherit the setting.
 *
 * @throws {Error} When a process is gone or `taskset` refuses, naming the process.
 */
export async function pinProcesses(
  pids: number[],
  cpus: string,
): Promise<void> {
  for (const pid of pids) {
    // `taskset -a` succeeds, doing nothing, for a process that is gone.
    const gone = await Deno.stat(`/proc/${pid}`).then(() => false, () => true);
    if (gone) {
      throw new Error(
        `Cannot pin process ${pid} to CPUs '${cpus}': No such process`,
      );
    }
    const out = await new Deno.Command("taskset", {
      args: ["-a", "-cp", cpus, String(pid)],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(
        `Cannot pin process ${pid} to CPUs '${cpus}': ${
          new TextDecoder().decode(out.stderr).trim()
        }`,
      );
    }
    await pinProcesses(await children(pid), cpus);
  }
}

async function children(pid: number): Promise<number[]> {
  try {
    const text = await Deno.readTextFile(`/proc/${pid}/task/${pid}/children`);
    return text.split(" ").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU control groups for the paired runs: each server in a group of its
 * own, all of the same weight, so two servers loaded at once on one core
 * get equal halves of it, as each pod of a cluster gets its own CPU
 * allocation. Without groups the scheduler shares a core between threads,
 * not processes, which favoured the floor (docs/benchmarks.md).
 *
 * @module
 */

/** Groups made by {@linkcode cpuGroups}. */
export interface CpuGroups {
  /** The groups' directories, one per process, in the order given. */
  dirs: string[];
  /** Moves the processes still in the groups back to the root and removes the groups. */
  dispose(): Promise<void>;
}

/**
 * Finds where the CPU controller can be used, from the text of
 * `/proc/mounts`: a cgroup v1 hierarchy with the `cpu` controller, else a
 * cgroup v2 hierarchy whose root hands `cpu` down to its children.
 *
 * @param mounts The text of `/proc/mounts`.
 * @param subtreeControl Reads a v2 root's `cgroup.subtree_control`; `undefined` when unreadable.
 * @returns The hierarchy's root directory, or `undefined`.
 * @example Usage
 * ```ts
 * import { cpuControllerRoot } from "./cgroup.ts";
 *
 * cpuControllerRoot("cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n", () => undefined);
 * // "/sys/fs/cgroup/cpu"
 * ```
 */
export function cpuControllerRoot(
  mounts: string,
  subtreeControl: (root: string) => string | undefined,
): string | undefined {
  const entries = mounts.split("\n").map((line) => line.split(" "));
  for (const [, dir, type, options] of entries) {
    if (type === "cgroup" && options?.split(",").includes("cpu")) return dir;
  }
  for (const [, dir, type] of entries) {
    if (type !== "cgroup2" || dir === undefined) continue;
    if (subtreeControl(dir)?.split(/\s+/).includes("cpu")) return dir;
  }
  return undefined;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * {@linkcode cpuControllerRoot} of this machine, read from `/proc/mounts`.
 *
 * @returns The hierarchy's root directory, or `undefined`.
 * @example Usage
 * ```ts
 * import { machineCpuControllerRoot } from "./cgroup.ts";
 *
 * machineCpuControllerRoot(); // e.g. "/sys/fs/cgroup/cpu" on cgroup v1
 * ```
 */
export function machineCpuControllerRoot(): string | undefined {
  return cpuControllerRoot(
    readOrUndefined("/proc/mounts") ?? "",
    (dir) => readOrUndefined(`${dir}/cgroup.subtree_control`),
  );
}

/**
 * Puts each process (all its threads) in a new CPU control group of its
 * own, with the default weight; needs root and a writable cgroup file
 * system.
 *
 * @param pids The processes, one group each.
 * @param prefix Names the groups `<prefix>-0`, `<prefix>-1`, ...
 * @param root The hierarchy's root; found from `/proc/mounts` by default.
 * @returns The groups, or `undefined` when there is no CPU controller this process may use.
 * @throws {Error} When a process cannot be moved, naming it; groups made so far are removed.
 * @example Usage
 * ```ts
 * import { cpuGroups } from "./cgroup.ts";
 *
 * const groups = await cpuGroups([service.pid, floor.pid], "bench");
 * await groups?.dispose();
 * ```
 */
export async function cpuGroups(
  pids: number[],
  prefix: string,
  root: string | undefined = machineCpuControllerRoot(),
): Promise<CpuGroups | undefined> {
  if (root === undefined) return undefined;
  const dirs: string[] = [];
  const dispose = async () => {
    for (const dir of dirs.splice(0)) {
      const left = (await Deno.readTextFile(`${dir}/cgroup.procs`))
        .split("\n").filter(Boolean);
      for (const pid of left) {
        // A process may exit between the read and the write.
        await Deno.writeTextFile(`${root}/cgroup.procs`, pid).catch(() => {});
      }
      await Deno.remove(dir);
    }
  };
  for (const [i, pid] of pids.entries()) {
    const dir = `${root}/${prefix}-${i}`;
    try {
      await Deno.mkdir(dir);
    } catch (error) {
      await dispose();
      if (i === 0 && !(error instanceof Deno.errors.AlreadyExists)) {
        return undefined; // not root, or a read-only cgroup file system
      }
      throw new Error(`Cannot make CPU group '${dir}'`, { cause: error });
    }
    dirs.push(dir);
    try {
      await Deno.writeTextFile(`${dir}/cgroup.procs`, String(pid));
    } catch (error) {
      await dispose();
      throw new Error(`Cannot move process ${pid} to CPU group '${dir}'`, {
        cause: error,
      });
    }
  }
  return { dirs: [...dirs], dispose };
}

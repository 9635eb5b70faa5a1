import { assertEquals, assertRejects } from "@thoughts/testing";
import {
  cpuControllerRoot,
  cpuGroups,
  machineCpuControllerRoot,
} from "./cgroup.ts";

Deno.test("cpuControllerRoot() finds a v1 cpu hierarchy, else a v2 root handing down cpu", async (t) => {
  const v1 = [
    "cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0",
    "cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0",
    "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0",
  ].join("\n");
  const v2 = "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0\n";
  const table: [string, string, string | undefined, string | undefined][] = [
    ["v1 cpu beside cpuacct", v1, undefined, "/sys/fs/cgroup/cpu"],
    [
      "v1 cpu and cpuacct together",
      "cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,cpu,cpuacct 0 0",
      undefined,
      "/sys/fs/cgroup/cpu,cpuacct",
    ],
    [
      "v1 cpuacct alone",
      "cgroup /sys/fs/cgroup/cpuacct cgroup rw,cpuacct 0 0",
      "cpu",
      undefined,
    ],
    ["v2 handing down cpu", v2, "cpuset cpu io memory", "/sys/fs/cgroup"],
    ["v2 without cpu", v2, "memory pids", undefined],
    ["v2 unreadable", v2, undefined, undefined],
    ["no cgroups", "proc /proc proc rw 0 0", "cpu", undefined],
  ];
  for (const [name, mounts, subtree, expected] of table) {
    await t.step(name, () => {
      assertEquals(cpuControllerRoot(mounts, () => subtree), expected);
    });
  }
});

function cpuGroupOf(pid: number): string | undefined {
  const lines = Deno.readTextFileSync(`/proc/${pid}/cgroup`).split("\n");
  const line = lines.find((l) =>
    l.split(":")[1]?.split(",").includes("cpu") || l.startsWith("0::")
  );
  return line?.split(":")[2];
}

// The CPU hierarchy, when this process may make groups in it (root).
function usableRoot(): string | undefined {
  const root = machineCpuControllerRoot();
  if (root === undefined) return undefined;
  const probe = `${root}/cgroup-probe-${crypto.randomUUID().slice(0, 8)}`;
  try {
    Deno.mkdirSync(probe);
    Deno.removeSync(probe);
    return root;
  } catch {
    return undefined;
  }
}

Deno.test({
  name:
    "cpuGroups() puts each process in a group of its own, and dispose() takes them out",
  ignore: usableRoot() === undefined,
  fn: async () => {
    const sleepers = [0, 1].map(() =>
      new Deno.Command("sleep", { args: ["30"] }).spawn()
    );
    const prefix = `cgroup-test-${crypto.randomUUID().slice(0, 8)}`;
    try {
      const groups = await cpuGroups(sleepers.map((p) => p.pid), prefix);
      assertEquals(groups?.dirs.length, 2);
      assertEquals(
        sleepers.map((p) => cpuGroupOf(p.pid)),
        [`/${prefix}-0`, `/${prefix}-1`],
      );
      await groups!.dispose();
      for (const dir of groups!.dirs) {
        await assertRejects(() => Deno.stat(dir), Deno.errors.NotFound);
      }
      assertEquals(sleepers.map((p) => cpuGroupOf(p.pid)), ["/", "/"]);
    } finally {
      for (const p of sleepers) {
        p.kill("SIGKILL");
        await p.status;
      }
    }
  },
});

Deno.test("cpuGroups() gives up, making nothing, where no group can be made", async () => {
  const root = await Deno.makeTempDir();
  try {
    assertEquals(
      await cpuGroups([Deno.pid], "x", `${root}/missing`),
      undefined,
    );
    assertEquals([...Deno.readDirSync(root)], []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name:
    "cpuGroups() names the process it cannot move and removes the groups it made",
  ignore: usableRoot() === undefined,
  fn: async () => {
    const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
    const prefix = `cgroup-test-${crypto.randomUUID().slice(0, 8)}`;
    const root = usableRoot()!;
    try {
      // Above the largest pid Linux hands out (2^22): never a process.
      await assertRejects(
        () => cpuGroups([sleeper.pid, 2 ** 22 + 12345], prefix, root),
        Error,
        `Cannot move process 4206649 to CPU group '${root}/${prefix}-1'`,
      );
      for (const i of [0, 1]) {
        await assertRejects(
          () => Deno.stat(`${root}/${prefix}-${i}`),
          Deno.errors.NotFound,
        );
      }
      assertEquals(cpuGroupOf(sleeper.pid), "/");
    } finally {
      sleeper.kill("SIGKILL");
      await sleeper.status;
    }
  },
});

import { assertEquals, assertRejects } from "@thoughts/testing";
import { cpuSplit, pinProcesses } from "./_pin.ts";

function allowed(pid: number): string {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return /Cpus_allowed_list:\s+(\S+)/.exec(status)?.[1] ?? "";
}

Deno.test("cpuSplit() gives the servers the first core and the rest to others", async (t) => {
  const split = await cpuSplit(2);
  if (!split) return; // no taskset: nothing to split with
  for (
    const [cores, others] of [[2, "1"], [4, "1-3"], [16, "1-15"]] as const
  ) {
    await t.step(`${cores} cores`, async () => {
      assertEquals(await cpuSplit(cores), { servers: "0", others });
    });
  }
  assertEquals(await cpuSplit(1), undefined);
});

Deno.test("pinProcesses() pins a process and the children it already has", async () => {
  if (!(await cpuSplit()) || navigator.hardwareConcurrency < 2) return;
  const parent = new Deno.Command("bash", {
    args: ["-c", "sleep 30 & wait"],
  }).spawn();
  try {
    let child: number | undefined;
    for (let i = 0; i < 50 && child === undefined; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const list = await Deno.readTextFile(
        `/proc/${parent.pid}/task/${parent.pid}/children`,
      );
      child = list.trim() ? Number(list.trim().split(" ")[0]) : undefined;
    }
    await pinProcesses([parent.pid], "1");
    assertEquals(allowed(parent.pid), "1");
    assertEquals(allowed(child!), "1");
  } finally {
    parent.kill("SIGKILL");
    await parent.status;
  }
});

Deno.test("pinProcesses() names the process it cannot pin", async () => {
  if (!(await cpuSplit())) return;
  await assertRejects(
    () => pinProcesses([2 ** 22 + 12345], "0"),
    Error,
    "Cannot pin process 4206649 to CPUs '0'",
  );
});

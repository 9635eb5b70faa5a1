import { assertEquals, assertOk, assertThrows } from "@thoughts/testing";
import { cpuReader, parseCpuTicks, settle } from "./_cpu.ts";

Deno.test("parseCpuTicks() adds user and system ticks, whatever the command name", async (t) => {
  const rest =
    "R 11964 11964 6543 0 -1 4194304 99 0 0 0 170 23 0 0 20 0 1 0 1553032";
  for (const name of ["cat", "deno", "a b", "x) (y", "))"]) {
    await t.step(name, () => {
      assertEquals(parseCpuTicks(`11968 (${name}) ${rest}`), 193);
    });
  }
  assertThrows(
    () => parseCpuTicks("not a stat line"),
    Error,
    "Cannot read a process stat line",
  );
});

Deno.test("cpuReader() sees the CPU time a busy loop spends", async () => {
  const cpuSeconds = await cpuReader();
  const before = cpuSeconds(Deno.pid);
  const until = performance.now() + 300;
  let spins = 0;
  while (performance.now() < until) spins++;
  const spent = cpuSeconds(Deno.pid) - before;
  // A tick is 10 ms; the loop ran 300 ms of wall time, most of it on a core.
  assertOk(spent >= 0.1 && spent < 2, `spent ${spent} s over ${spins} spins`);
});

Deno.test("settle() waits while a process works and returns once it is idle", async (t) => {
  for (
    const [name, busyReadings, idle] of [
      ["idle at once", 0, true],
      ["busy for three readings", 3, true],
      ["never idle", Infinity, false],
    ] as const
  ) {
    await t.step(name, async () => {
      let readings = 0;
      // 50 ms of CPU per 10 ms step while busy: five cores' worth.
      const cpu = () => 0.05 * Math.min(readings++, busyReadings);
      const settled = await settle(cpu, [1], { stepMs: 10, maxMs: 200 });
      assertEquals(settled, idle);
      if (idle) assertEquals(readings, busyReadings + 2);
    });
  }
});

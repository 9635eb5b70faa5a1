// The bench stopped from outside, as `timeout` or a CI runner stops it:
// nothing it started is left running, no throwaway cluster, no service.
import { assertEquals, assertOk, cleanEnv, missing } from "@thoughts/testing";

const root = new URL("../../", import.meta.url).pathname;

async function ours(pattern: string): Promise<number[]> {
  const out = await new Deno.Command("pgrep", { args: ["-f", pattern] })
    .output();
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean)
    .map(Number);
}

Deno.test({
  name: "SIGTERM mid-run stops the bench with everything it started",
  ignore: missing("postgresql"),
}, async () => {
  const before = new Set(await ours("thoughts_pg_"));
  const bench = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}tools/bench/main.ts`],
    // Its own throwaway cluster, also in the CI run against PostgreSQL.
    clearEnv: true,
    env: cleanEnv({ BENCH_SECONDS: "1", BENCH_ROUNDS: "1" }),
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  // Read all along (a closed pipe would fail the bench's own writes), and
  // wait until the first endpoint is loaded: the cluster and all three
  // servers are up.
  let seen = () => {};
  const started = new Promise<void>((resolve) => seen = resolve);
  const drained = (async () => {
    for await (
      const chunk of bench.stderr.pipeThrough(new TextDecoderStream())
    ) {
      lines.push(chunk);
      if (lines.join("").includes("[1/4]")) seen();
    }
  })();
  let status: Deno.CommandStatus | undefined;
  try {
    // Or the bench has ended on its own, which the checks below report.
    await Promise.race([started, bench.status]);
    const clusters = (await ours("thoughts_pg_")).filter((p) => !before.has(p));
    assertOk(clusters.length > 0, lines.join(""));
  } finally {
    // Also when an assertion failed: a bench left running outlives the test.
    try {
      bench.kill("SIGTERM");
    } catch { /* it has ended */ }
    status = await bench.status;
  }
  await drained;
  assertOk(lines.join("").includes("stopping on SIGTERM"), lines.join(""));
  assertEquals(status.code, 143);
  // The postmaster and its sessions, and the services the bench started.
  const left = (await ours("thoughts_pg_")).filter((p) => !before.has(p));
  assertEquals(left, []);
  for (const entry of ["tools/bench/floor.ts", "users/main.ts"]) {
    const services = await ours(`${root}${entry}`);
    assertEquals(services, [], entry);
  }
});

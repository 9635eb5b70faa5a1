// The bench stopped from outside, as `timeout` or a CI runner stops it:
// nothing it started is left running, no throwaway cluster, no service.
import { assertEquals, assertOk, cleanEnv, missing } from "@thoughts/testing";
import { ROOT } from "../root.ts";

const root = `${ROOT}/`;

async function ours(pattern: string): Promise<number[]> {
  const out = await new Deno.Command("pgrep", { args: ["-f", pattern] })
    .output();
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean)
    .map(Number);
}

const patterns = [
  "thoughts_pg_", // the throwaway cluster's postmaster
  `${root}tools/bench/floor.ts`,
  `${root}users/main.ts`,
  `${root}thoughts/main.ts`,
  `${root}dist/bench/peer.js`, // Fastify on Node
];

// Processes matching the patterns, by pid.
async function running(): Promise<Set<number>> {
  const found = await Promise.all(patterns.map(ours));
  return new Set(found.flat());
}

// What `ps` says of the processes, for a failure's message.
async function describe(pids: number[]): Promise<string> {
  if (pids.length === 0) return "";
  const out = await new Deno.Command("ps", {
    args: ["-o", "pid,ppid,stat,etime,args", "-p", pids.join(",")],
  }).output();
  return new TextDecoder().decode(out.stdout);
}

// A failure's first line (all a CI summary shows of it): what went wrong,
// then the bench's last lines.
function account(what: string, lines: string[]): string {
  const said = lines.join("").trim().split("\n");
  return `${what}; the bench said: ${said.slice(-8).join(" | ")}`;
}

// Starts the bench (under a shell when its parent is to die), waits until
// the first endpoint is loaded (the cluster and all three servers are up),
// stops it as `how` says, and checks that nothing it started is left.
async function stopMidRun(how: "SIGTERM" | "parent"): Promise<void> {
  // Only what the bench starts is its own: anything matching before it ran
  // belongs to someone else.
  const before = await running();
  const bench = `${root}tools/bench/main.ts`;
  const child = new Deno.Command(
    how === "parent" ? "sh" : Deno.execPath(),
    {
      args: how === "parent"
        ? [
          "-c",
          `"$0" run -A "$1" --runtime deno & wait`,
          Deno.execPath(),
          bench,
        ]
        : ["run", "-A", bench, "--runtime", "deno"],
      // Its own throwaway cluster, also in the CI run against PostgreSQL.
      clearEnv: true,
      env: cleanEnv({ BENCH_SECONDS: "1", BENCH_ROUNDS: "1" }),
      stdout: "null",
      stderr: "piped",
    },
  ).spawn();
  const lines: string[] = [];
  // Read all along (a closed pipe would fail the bench's own writes), until
  // the bench and all it started have closed it.
  let seen = () => {};
  const started = new Promise<void>((resolve) => seen = resolve);
  const drained = (async () => {
    for await (
      const chunk of child.stderr.pipeThrough(new TextDecoderStream())
    ) {
      lines.push(chunk);
      if (lines.join("").includes("[1/4]")) seen();
    }
  })();
  try {
    // Or the bench has ended on its own, which the checks below report.
    await Promise.race([started, child.status]);
    const clusters = (await ours("thoughts_pg_")).filter((p) => !before.has(p));
    assertOk(clusters.length > 0, account("no cluster of its own", lines));
  } finally {
    // Also when an assertion failed: a bench left running outlives the test.
    try {
      child.kill(how === "parent" ? "SIGKILL" : "SIGTERM");
    } catch { /* it has ended */ }
  }
  const status = await child.status;
  await drained;
  const why = how === "parent" ? "its parent's exit" : "SIGTERM";
  assertOk(
    lines.join("").includes(`stopping on ${why}`),
    account(`no "stopping on ${why}"`, lines),
  );
  if (how === "SIGTERM") {
    assertEquals(status.code, 143, account(`exit ${status.code}`, lines));
  }
  // The postmaster and the services the bench started. A process may be in
  // its last moments of exiting (the postmaster removes its pid file, which
  // pg_ctl waits for, just before it ends): a second to go is allowed.
  let left: number[] = [];
  for (const deadline = Date.now() + 1000; Date.now() < deadline;) {
    left = [...await running()].filter((p) => !before.has(p));
    if (left.length === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assertEquals(
    left,
    [],
    `${account("left running", lines)}\n${await describe(left)}`,
  );
}

Deno.test({
  name: "SIGTERM mid-run stops the bench with everything it started",
  ignore: missing("postgresql"),
}, () => stopMidRun("SIGTERM"));

Deno.test({
  name:
    "the death of its parent mid-run stops the bench with everything it started",
  ignore: missing("postgresql"),
}, () => stopMidRun("parent"));

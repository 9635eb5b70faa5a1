// Every task as a user meets it: --help answers, a bogus flag is one line
// and exit 2, never a stack trace.
import { assertEquals, assertOk, runDeno } from "@thoughts/testing";

const TASKS = [
  "dev",
  "build",
  "build:base",
  "build:postgres",
  "bench",
  "bench:scale",
  "k8s:check",
  "k8s:local",
  "secrets",
  "rotate-keys",
  "check-deps",
  "release",
];

Deno.test("every task answers --help with its usage and exit 0", async (t) => {
  for (const task of TASKS) {
    await t.step(task, async () => {
      const run = await runDeno(["task", "-q", task, "--help"]);
      assertEquals(run.code, 0, run.stderr);
      assertOk(
        run.stdout.startsWith(`Usage: deno task ${task}`),
        run.stdout,
      );
      assertOk(run.stdout.includes("Example:"), run.stdout);
    });
  }
});

Deno.test("every task refuses a bogus flag in one line with a hint, exit 2, no stack trace", async (t) => {
  for (const task of TASKS) {
    await t.step(task, async () => {
      const run = await runDeno(["task", "-q", task, "--bogus"]);
      assertEquals(run.code, 2, run.stderr);
      const lines = run.stderr.trim().split("\n");
      assertEquals(lines.length, 2, run.stderr);
      assertOk(lines[0]!.startsWith(`${task}: `), lines[0]);
      assertOk(lines[0]!.includes("--bogus"), lines[0]);
      assertEquals(lines[1], `Run 'deno task ${task} --help' for usage.`);
    });
  }
});

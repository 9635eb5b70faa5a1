// deno task release against the dev system (all three services from
// source), with release tags in a repository of their own.
import {
  assertEquals,
  assertOk,
  assertStringIncludes,
  createTempRepo,
  freePort,
  runDeno,
  runDev,
} from "@thoughts/testing";

async function tag(
  repo: Awaited<ReturnType<typeof createTempRepo>>,
  service: string,
  version: string,
  requires: Record<string, string>,
) {
  await Deno.mkdir(`${repo.dir}/${service}`, { recursive: true });
  await repo.commit(
    `${service}/deno.json`,
    JSON.stringify({ name: `@thoughts/${service}`, version, requires }),
  );
  await repo.git("tag", `${service}/${version}`);
}

Deno.test("release against the dev system: users before the thoughts that needs it, a breaking revert refused, check exits 0 or 1", async (t) => {
  await using repo = await createTempRepo();
  await tag(repo, "thoughts", "v1.5", { users_backend: "v2.3" });
  await tag(repo, "users", "v2.4", {});
  await tag(repo, "thoughts", "v1.7", { users_backend: "v2.4" });
  const dev = await runDev();
  const at = (service: keyof typeof dev.ports) =>
    `${service}=http://127.0.0.1:${dev.ports[service]}`;
  const system = ["users", "thoughts", "frontend"].flatMap((s) => [
    "--service",
    at(s as keyof typeof dev.ports),
  ]);
  const release = (...args: string[]) =>
    runDeno(["task", "-q", "release", ...args, "--repo", repo.dir, ...system]);
  try {
    await t.step(
      "a new thoughts that needs a newer users: users first",
      async () => {
        const run = await release("plan", "thoughts@v1.7", "users@v2.4");
        assertEquals(run.code, 0, run.stdout + run.stderr);
        for (
          const line of [
            "  users     v2.3 on 1 replica",
            "  thoughts  v1.7 (tag thoughts/v1.7) requires users_backend ≥ v2.4",
            "Plan: 2 steps, dependencies first",
            "  1. users v2.3 → v2.4 (users_server:v2.4)",
            "       kubectl -n example set image deployment/users users=users_server:v2.4",
            "       kubectl -n example rollout status deployment/users --timeout=10m",
            "  2. thoughts v1.6 → v1.7 (thoughts_server:v1.7)",
          ]
        ) assertStringIncludes(run.stdout, line);
        assertOk(
          run.stdout.indexOf("1. users") < run.stdout.indexOf("2. thoughts"),
        );
      },
    );
    await t.step("the same thoughts alone is not safe", async () => {
      const run = await release("check", "thoughts@v1.7");
      assertEquals(run.code, 1, run.stderr);
      assertStringIncludes(
        run.stdout,
        "thoughts v1.7 requires users ≥ v2.4, but users runs v2.3",
      );
      assertEquals(
        (await release("check", "users@v2.4", "thoughts@v1.7")).code,
        0,
      );
    });
    await t.step(
      "a revert that breaks the running frontend is refused",
      async () => {
        const run = await release("plan", "thoughts@v1.5");
        assertEquals(run.code, 1, run.stderr);
        assertStringIncludes(
          run.stdout,
          "reverting thoughts to v1.5 breaks frontend v3.7, which requires thoughts ≥ v1.6",
        );
      },
    );
    await t.step(
      "an unreachable service or an unknown version is never safe",
      async () => {
        const down = await runDeno([
          "task",
          "-q",
          "release",
          "check",
          "users@v2.4",
          "--repo",
          repo.dir,
          "--service",
          `users=http://127.0.0.1:${freePort()}`,
          "--service",
          at("thoughts"),
          "--service",
          at("frontend"),
        ]);
        assertEquals(down.code, 1, down.stderr);
        assertStringIncludes(down.stdout, "unknown is never safe");
        const unknown = await release("check", "thoughts@v9.9");
        assertEquals(unknown.code, 1);
        assertStringIncludes(
          unknown.stderr,
          "Cannot tell what thoughts v9.9 requires: no tag 'thoughts/v9.9'",
        );
      },
    );
  } finally {
    dev.process.kill("SIGINT");
    await dev.finished();
  }
});

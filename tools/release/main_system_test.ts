// deno task release against the dev system (all three services from
// source), with release tags in a repository of their own.
import {
  assertEquals,
  assertStringIncludes,
  checkScenario,
  createTempRepo,
  freePort,
  runDeno,
  runDev,
  tagScenario,
} from "@thoughts/testing";

Deno.test("release against the dev system: users before the thoughts that needs it, a breaking revert refused, check exits 0 or 1", async (t) => {
  await using repo = await createTempRepo();
  await tagScenario(repo);
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
      "users before the thoughts that needs it; a breaking revert refused",
      () =>
        checkScenario(
          release,
          "kubectl -n example set image deployment/users users=users_server:v2.4",
          "thoughts  v1.6 on 1 replica",
        ),
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
    await t.step(
      "--apply runs each step's commands and stops when the service does not answer with the new version",
      async () => {
        // A kubectl that records what it is asked and changes nothing: the
        // check after the step finds users still at v2.3.
        const bin = await Deno.makeTempDir({ prefix: "thoughts_kubectl_" });
        await Deno.writeTextFile(
          `${bin}/kubectl`,
          `#!/bin/sh\nprintf '%s\\n' "$*" >> "${bin}/asked"\n`,
          { mode: 0o755 },
        );
        const apply = (path: string, ...named: string[]) =>
          runDeno(
            [
              "task",
              "-q",
              "release",
              "plan",
              ...named,
              "--apply",
              "--repo",
              repo.dir,
              ...system,
            ],
            { PATH: path },
          );
        try {
          const run = await apply(
            `${bin}:${Deno.env.get("PATH")}`,
            "thoughts@v1.7",
            "users@v2.4",
          );
          assertEquals(run.code, 1, run.stdout + run.stderr);
          assertEquals(
            (await Deno.readTextFile(`${bin}/asked`)).trim().split("\n"),
            [
              "-n example set image deployment/users users=users_server:v2.4",
              "-n example rollout status deployment/users --timeout=10m",
            ],
          );
          assertStringIncludes(
            run.stderr,
            "release: stopped after [1/2] users: it answers v2.3 on 1 replica, not v2.4 on every replica",
          );
          // Without kubectl at all, it stops before changing anything.
          await Deno.mkdir(`${bin}/git_only`);
          // Only git (the release tags) on the PATH.
          const git = await new Deno.Command("sh", {
            args: ["-c", "command -v git"],
          }).output();
          await Deno.symlink(
            new TextDecoder().decode(git.stdout).trim(),
            `${bin}/git_only/git`,
          );
          const none = await apply(`${bin}/git_only`, "users@v2.4");
          assertEquals(none.code, 1);
          assertStringIncludes(
            none.stderr,
            "release: stopped at [1/1] users: cannot run 'kubectl'",
          );
        } finally {
          await Deno.remove(bin, { recursive: true });
        }
      },
    );
  } finally {
    dev.process.kill("SIGINT");
    await dev.finished();
  }
});

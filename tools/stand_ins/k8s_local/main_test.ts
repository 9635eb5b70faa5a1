// k8s:local's command line, for what it checks before it starts anything.
import { assertEquals, assertOk, missing, runDeno } from "@thoughts/testing";

const local = (...args: string[]) =>
  runDeno(["task", "-q", "k8s:local", ...args]);

Deno.test("an unknown command is a usage error", async () => {
  const run = await local("start");
  assertEquals(run.code, 2, run.stderr);
  assertOk(
    run.stderr.startsWith("k8s:local: Unknown command 'start'"),
    run.stderr,
  );
});

Deno.test({
  name: "up names what is missing, secrets then images, and starts nothing",
  ignore: missing("podman"),
}, async () => {
  const empty = await Deno.makeTempDir();
  try {
    const noSecrets = await local("up", "--secrets", empty);
    assertEquals(noSecrets.code, 1, noSecrets.stderr);
    assertOk(
      noSecrets.stderr.includes("run 'deno task secrets' first"),
      noSecrets.stderr,
    );
    const secrets = await runDeno(["task", "-q", "secrets", "--out", empty]);
    assertEquals(secrets.code, 0, secrets.stderr);
    const noImage = await local(
      "up",
      "--secrets",
      empty,
      "--image",
      "users_server:v2.3=users_server:never-built",
    );
    assertEquals(noImage.code, 1, noImage.stderr);
    // Among whatever else this machine has not built yet.
    assertOk(
      /Images not built: (\S+, )*users_server:never-built[,.]/.test(
        noImage.stderr,
      ),
      noImage.stderr,
    );
    assertOk(
      noImage.stderr.includes("deno task build --test --runtime deno"),
      noImage.stderr,
    );
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

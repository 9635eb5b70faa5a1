// Images built and run for real with podman: the offline distroless base,
// and a service on it with the `deno` payload, read-only, as non-root.
import {
  assertEquals,
  assertOk,
  assertStringIncludes,
  freePort,
  loadTestKeys,
  missing,
  runDeno,
  TEST_KEYS_DIR,
} from "@thoughts/testing";
import { signToken } from "@thoughts/shared/auth";
import { LOCAL_BASE } from "../stand_ins/base_image.ts";
import { toolEnv } from "./image.ts";
import { ROOT } from "../root.ts";

const env = toolEnv("podman");

async function podman(...args: string[]) {
  const out = await new Deno.Command("podman", {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout).trim(),
    stderr: new TextDecoder().decode(out.stderr).trim(),
  };
}

Deno.test({
  name:
    "build:base assembles the distroless base offline: no shell, nonroot 65532, versions recorded, the same image ID twice",
  ignore: missing("podman"),
}, async () => {
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const run = await runDeno(["task", "-q", "build:base"]);
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, LOCAL_BASE);
    ids.push(
      (await podman("image", "inspect", "--format", "{{.Id}}", LOCAL_BASE))
        .stdout,
    );
  }
  assertEquals(ids[0], ids[1], "reproducible");
  const inspect = JSON.parse(
    (await podman("image", "inspect", LOCAL_BASE)).stdout,
  )[0];
  assertEquals(inspect.Config.User, "65532:65532");
  assertOk(inspect.Size < 40_000_000, `size ${inspect.Size}`);
  const files = new TextDecoder().decode(
    (await new Deno.Command("tar", {
      args: ["-tvf", `${ROOT}/dist/base/rootfs.tar`],
      stdout: "piped",
    }).output()).stdout,
  );
  for (const shell of ["bin/sh", "bin/bash", "bin/dash"]) {
    assertOk(!new RegExp(`\\./(usr/)?${shell}$`, "m").test(files), shell);
  }
  assertStringIncludes(files, "./etc/ssl/certs/ca-certificates.crt");
  assertOk(/^drwx------ 65532\/65532 .* \.\/home\/nonroot\/$/m.test(files));
  const packages = await Deno.readTextFile(`${ROOT}/dist/base/packages.txt`);
  for (const name of ["libc6", "libssl3", "ca-certificates", "tzdata"]) {
    assertOk(new RegExp(`^${name} \\S+$`, "m").test(packages), name);
  }
});

for (const runtime of ["deno", "node", "bun"] as const) {
  Deno.test({
    name:
      `a service image with the ${runtime} payload runs read-only as 65532 and answers its stamped version, docs and PGlite writes with the trigram extension`,
    ignore: missing("podman"),
  }, () => imageRuns(runtime));
}

async function imageRuns(runtime: "deno" | "node" | "bun") {
  const build = await runDeno([
    "run",
    "-A",
    "build.ts",
    "thoughts",
    "--test",
    "--runtime",
    runtime,
    "--base",
    LOCAL_BASE,
    "--image",
    // A folder of its own: the tests of other payloads run beside it.
    "--out",
    `${ROOT}/dist/image-${runtime}`,
  ]);
  assertEquals(build.code, 0, build.stderr);
  const meta = JSON.parse(
    await Deno.readTextFile(
      `${ROOT}/dist/image-${runtime}/thoughts/version.json`,
    ),
  );
  assertOk(meta.payload.startsWith(`${runtime} `), meta.payload);
  assertOk(meta.payload.endsWith(" + bundle"), meta.payload);
  assertEquals(meta.requires, { users_backend: "v2.3" });
  const image = meta.image.startsWith("localhost/")
    ? meta.image
    : `localhost/${meta.image}`;
  // A candidate image can be asked what it is and what it needs.
  const labels = JSON.parse(
    (await podman("image", "inspect", "--format", "{{json .Labels}}", image))
      .stdout,
  );
  assertEquals(
    [
      labels["org.opencontainers.image.version"],
      labels["org.opencontainers.image.revision"],
      JSON.parse(labels["io.thoughts.requires"]),
    ],
    [meta.version, meta.commit, { users_backend: "v2.3" }],
  );
  const port = freePort();
  const name = `thoughts_test_${port}`;
  const volume = `${name}_data`;
  const run = await podman(
    "run",
    "-d",
    "--name",
    name,
    "--read-only",
    "--user",
    "65532",
    "-p",
    `127.0.0.1:${port}:8000`,
    "-v",
    `${TEST_KEYS_DIR}:/opt/keys:ro`,
    "-v",
    `${volume}:/var/lib/thoughts`,
    "-e",
    "APP_ENV=test",
    "-e",
    "DATABASE_ENGINE=PGLITE",
    "-e",
    "PGLITE_DATA_DIR=/var/lib/thoughts/thoughts",
    "--hostname",
    name,
    image,
  );
  assertEquals(run.code, 0, run.stderr);
  try {
    const url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    let version: Record<string, unknown> | undefined;
    while (!version && Date.now() - started < 60_000) {
      version = await fetch(`${url}/admin/version/`).then(
        (r) => r.ok ? r.json() : (r.body?.cancel(), undefined),
        () => undefined,
      );
      if (!version) await new Promise((r) => setTimeout(r, 200));
    }
    assertEquals(
      [
        version?.version,
        version?.commit,
        version?.source,
        version?.requires,
        version?.instance,
        version?.runtime,
      ],
      [
        meta.version,
        meta.commit,
        "stamped",
        meta.requires,
        name,
        meta.payload.replace(" + bundle", ""),
      ],
      (await podman("logs", name)).stderr,
    );
    const css = await fetch(`${url}/docs/swagger-ui.css`);
    assertEquals(css.status, 200);
    await css.body?.cancel();
    const keys = await loadTestKeys(true);
    const token = await signToken(keys, "ada", {
      lifetime: 60,
      now: new Date(),
    });
    const auth = { Authorization: `Bearer ${token}` };
    const created = await fetch(`${url}/api/me/thoughts/`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ text: "from the image" }),
    });
    assertEquals(created.status, 201, await created.text());
    const found = await fetch(`${url}/api/thoughts/?search=IMAGE`);
    assertEquals((await found.json()).length, 1);
  } finally {
    await podman("rm", "-f", name);
    await podman("volume", "rm", "-f", volume);
  }
}

import {
  assertEquals,
  assertMatch,
  assertOk,
  assertRejects,
  assertStringIncludes,
  assertThrows,
  createTempRepo,
  runDeno,
} from "@thoughts/testing";
import { build } from "../../build.ts";
import { compileArgs } from "./_compile.ts";
import { dockerfile } from "./image.ts";
import { permissionFlags, selectServices, SERVICES } from "./services.ts";
import { entryModule, versionFile } from "./stamp.ts";
import { BuildError } from "./build_error.ts";
import { deriveStamp } from "./_version.ts";
import { ROOT } from "../root.ts";

const users = SERVICES[0]!;

Deno.test("deriveStamp() derives versions from real git in every mode", async (t) => {
  await using repo = await createTempRepo();
  const first = await repo.commit("a.txt", "a");
  const derive = (
    mode: Parameters<typeof deriveStamp>[0]["mode"],
    declared = "v2.3",
  ) => deriveStamp({ service: users, declared, mode, cwd: repo.dir });

  await t.step("no tag: fails saying which tag to create", async () => {
    const error = await assertRejects(
      () => derive({ kind: "git" }),
      BuildError,
      "git tag users/v2.3",
    );
    assertEquals(error.code, "no_tag");
  });
  await t.step("test mode needs no tag", async () => {
    assertEquals(await derive({ kind: "test" }), {
      version: "v2.3",
      commit: first,
    });
  });
  await t.step("on the tag", async () => {
    await repo.git("tag", "users/v2.3");
    await repo.git("tag", "thoughts/v1.6");
    assertEquals(await derive({ kind: "git" }), {
      version: "v2.3",
      commit: first,
    });
  });
  await t.step("commits after the tag", async () => {
    const head = await repo.commit("b.txt", "b");
    assertEquals(await derive({ kind: "git" }), {
      version: `v2.3-1-g${head.slice(0, 7)}`,
      commit: head,
    });
  });
  await t.step("a dirty tree is marked", async () => {
    await Deno.writeTextFile(`${repo.dir}/b.txt`, "changed");
    assertMatch(
      (await derive({ kind: "git" })).version,
      /^v2\.3-1-g[0-9a-f]{7}-dirty$/,
    );
  });
  await t.step("an explicit version, commit still from git", async () => {
    const head = await repo.git("rev-parse", "HEAD");
    assertEquals(await derive({ kind: "explicit", version: "v2.3" }), {
      version: "v2.3",
      commit: head,
    });
  });
  await t.step(
    "refuses a version that disagrees with the declared release",
    async () => {
      const error = await assertRejects(
        () => derive({ kind: "explicit", version: "v2.4" }),
        BuildError,
        "disagrees with the declared release 'v2.3'",
      );
      assertEquals(error.code, "tag_mismatch");
      await assertRejects(
        () => derive({ kind: "explicit", version: "v2.3.1" }),
        BuildError,
        "disagrees",
      );
      await assertRejects(
        () => derive({ kind: "git" }, "v2.4"),
        BuildError,
        "users/deno.json",
      );
    },
  );
  await t.step("refuses garbage", async () => {
    const error = await assertRejects(
      () => derive({ kind: "explicit", version: "BAD VERSION" }),
      BuildError,
      "Cannot parse version: 'BAD VERSION'",
    );
    assertEquals(error.code, "bad_version");
  });
});

Deno.test("build() writes version.json and the stamp module, with no wall-clock time", async () => {
  await using repo = await createTempRepo();
  await Deno.mkdir(`${repo.dir}/users`);
  await repo.commit(
    "users/deno.json",
    JSON.stringify({
      name: "@thoughts/users",
      version: "v2.3",
      requires: { thoughts_backend: "v1.6" },
    }),
  );
  await repo.git("tag", "users/v2.3");
  const commit = await repo.git("rev-parse", "HEAD");
  assertEquals(await build(["users", "--no-compile"], repo.dir), 0);
  const meta = JSON.parse(
    await Deno.readTextFile(`${repo.dir}/dist/users/version.json`),
  );
  assertEquals(meta, {
    service: "users",
    version: "v2.3",
    commit,
    image: "users_server:v2.3",
    payload: "compiled",
    requires: { thoughts_backend: "v1.6" },
  });
  // The image carries them as labels: OCI's, and the requirements.
  const dockerfile = await Deno.readTextFile(
    `${repo.dir}/dist/users/Dockerfile`,
  );
  for (
    const line of [
      'LABEL org.opencontainers.image.version="v2.3"',
      `LABEL org.opencontainers.image.revision="${commit}"`,
      'LABEL io.thoughts.requires="{\\"thoughts_backend\\":\\"v1.6\\"}"',
    ]
  ) assertStringIncludes(dockerfile, line);
  const entry = await Deno.readTextFile(`${repo.dir}/dist/users/entry.ts`);
  assertEquals(entry, entryModule(users, { version: "v2.3", commit }));
  assertStringIncludes(entry, `{"version":"v2.3","commit":"${commit}"}`);
  assertOk(
    !/20\d\d-\d\d-\d\d/.test(entry + JSON.stringify(meta)),
    "no timestamps",
  );
  // A second build of the same commit writes the same bytes.
  assertEquals(await build(["users", "--no-compile"], repo.dir), 0);
  assertEquals(
    await Deno.readTextFile(`${repo.dir}/dist/users/entry.ts`),
    entry,
  );
});

Deno.test("build() fails with a fix when no tag matches or a service is unknown", async () => {
  await using repo = await createTempRepo();
  await Deno.mkdir(`${repo.dir}/users`);
  await repo.commit("users/deno.json", JSON.stringify({ version: "v2.3" }));
  assertEquals(await build(["users", "--no-compile"], repo.dir), 1);
  assertEquals(await build(["billing", "--no-compile"], repo.dir), 2);
  assertEquals(await build(["--version", "v2.3", "--no-compile"], repo.dir), 2);
  // A requirement that is not a version stops the build too.
  await repo.commit(
    "users/deno.json",
    JSON.stringify({ version: "v2.3", requires: { thoughts_backend: "soon" } }),
  );
  await repo.git("tag", "users/v2.3");
  assertEquals(await build(["users", "--no-compile"], repo.dir), 1);
  assertEquals(selectServices([]).map((s) => s.name), [
    "users",
    "thoughts",
    "frontend",
  ]);
});

Deno.test("compile and image settings are the narrowest that run the service", () => {
  assertEquals(permissionFlags(SERVICES[2]!), [
    "--allow-net",
    "--allow-env",
    "--allow-read=/opt/keys",
  ]);
  const args = compileArgs(users, "dist/users");
  assertEquals(args.slice(0, 1), ["compile"]);
  assertOk(
    !args.includes("-A") && !args.some((a) => a.startsWith("--allow-run")),
  );
  assertEquals(args.slice(-3), [
    "--output",
    "dist/users/users",
    "dist/users/entry.ts",
  ]);
  const base = "gcr.io/distroless/cc-debian12:nonroot";
  const file = dockerfile(users, { base, runtime: "compiled" });
  assertStringIncludes(file, `FROM ${base}`);
  assertStringIncludes(file, "USER 65532:65532");
  assertStringIncludes(file, 'ENTRYPOINT ["/app/users"]');
  // The V8 heap bounds, for either payload (not a compile flag).
  for (const runtime of ["compiled", "deno"] as const) {
    assertStringIncludes(
      dockerfile(users, { base, runtime }),
      "ENV DENO_V8_FLAGS=--max-semi-space-size=4,--max-old-space-size=64",
    );
  }
  assertStringIncludes(
    file,
    "COPY --chown=65532:65532 data/ /var/lib/thoughts/",
  );
  const deno = dockerfile(users, { base: "localhost/b:1", runtime: "deno" });
  assertStringIncludes(deno, "FROM localhost/b:1");
  assertStringIncludes(
    deno,
    'ENTRYPOINT ["/app/deno","run","--no-config","--allow-net","--allow-env","--allow-read=/opt/keys,/var/lib/thoughts,/app","--allow-write=/var/lib/thoughts","/app/bundle/users.js"]',
  );
  assertEquals(
    versionFile(
      users,
      { version: "v2.3-4-gabcdef0", commit: "f".repeat(40) },
      "compiled",
    ).image,
    "users_server:v2.3-4-gabcdef0",
  );
});

const buildCli = (args: string[], env: Record<string, string> = {}) =>
  runDeno(["run", "-A", "build.ts", ...args], env);

Deno.test("the compile step fails clearly when the Deno runtime cannot be had", async () => {
  const result = await buildCli(["frontend", "--test"], {
    DENORT_BIN: "/nonexistent/denort",
  });
  assertEquals(result.code, 1);
  assertStringIncludes(
    result.stderr,
    "Cannot use the Deno runtime at DENORT_BIN='/nonexistent/denort' to compile frontend",
  );
});

Deno.test("the image step says so, before compiling, when no image builder works", async () => {
  // A PATH with git and nothing else: no docker, no podman.
  const bin = await Deno.makeTempDir({ prefix: "thoughts_path_" });
  try {
    await Deno.symlink("/usr/bin/git", `${bin}/git`);
    const result = await buildCli(["frontend", "--test", "--image"], {
      PATH: bin,
    });
    assertEquals(result.code, 1);
    assertStringIncludes(
      result.stderr,
      "No image builder: neither a Docker engine nor podman answers 'info'",
    );
    assertOk(!result.stdout.includes("compiled"), "stopped before compiling");
  } finally {
    await Deno.remove(bin, { recursive: true });
  }
});

Deno.test("--image with --no-compile is refused when there is no binary to package", async () => {
  const result = await buildCli([
    "frontend",
    "--test",
    "--no-compile",
    "--image",
  ]);
  assertEquals(result.code, 2);
  assertStringIncludes(
    result.stderr,
    "--image with --no-compile has no binary",
  );
});

Deno.test("selectServices() and build() refuse usage errors with a typed BuildError", async () => {
  const error = assertThrows(
    () => selectServices(["users", "nope"]),
    BuildError,
    "Unknown service: 'nope' (expected users, thoughts or frontend)",
  );
  assertEquals(error.code, "usage");
  for (
    const args of [["nope"], ["--bogus"], ["--version", "v2.3"], ["--test=1"]]
  ) {
    assertEquals(await build([...args, "--no-compile"], ROOT), 2, `${args}`);
  }
});

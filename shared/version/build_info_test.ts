import { assertEquals, assertMatch, createTempRepo } from "@thoughts/testing";
import { resolveBuildInfo, UNKNOWN_COMMIT } from "./build_info.ts";

Deno.test("resolveBuildInfo() prefers the compiled stamp", async () => {
  const info = await resolveBuildInfo({
    service: "users",
    declared: "v2.3",
    stamp: { version: "v2.3-4-gabcdef0", commit: "a".repeat(40) },
    cwd: "/nonexistent",
  });
  assertEquals(info, {
    service: "users",
    version: "v2.3-4-gabcdef0",
    commit: "a".repeat(40),
    source: "stamped",
    requires: {},
  });
});

Deno.test("resolveBuildInfo() reads git describe from source", async (t) => {
  await using repo = await createTempRepo();
  const first = await repo.commit("a.txt", "a");
  const resolve = () =>
    resolveBuildInfo({
      service: "users",
      declared: "v2.3",
      stamp: null,
      cwd: repo.dir,
    });

  await t.step("no tag: the declared release", async () => {
    assertEquals(await resolve(), {
      service: "users",
      version: "v2.3",
      commit: first,
      source: "declared",
      requires: {},
    });
  });
  await t.step("on the tag", async () => {
    await repo.git("tag", "users/v2.3");
    await repo.git("tag", "thoughts/v9.9");
    assertEquals((await resolve()).version, "v2.3");
  });
  await t.step("commits after the tag, then dirty", async () => {
    const head = await repo.commit("b.txt", "b");
    const info = await resolve();
    assertEquals(info.version, `v2.3-1-g${head.slice(0, 7)}`);
    assertEquals([info.commit, info.source], [head, "git"]);
    await Deno.writeTextFile(`${repo.dir}/b.txt`, "changed");
    assertMatch((await resolve()).version, /^v2\.3-1-g[0-9a-f]{7}-dirty$/);
  });
  await t.step("a tag of an older release: the declared release", async () => {
    const info = await resolveBuildInfo({
      service: "users",
      declared: "v2.4",
      stamp: null,
      cwd: repo.dir,
    });
    assertEquals([info.version, info.source], ["v2.4", "declared"]);
  });
});

Deno.test("resolveBuildInfo() outside git reports an unknown commit", async () => {
  const dir = await Deno.makeTempDir();
  const info = await resolveBuildInfo({
    service: "users",
    declared: "v2.3",
    stamp: null,
    cwd: dir,
  });
  assertEquals([info.version, info.commit], ["v2.3", UNKNOWN_COMMIT]);
  await Deno.remove(dir);
});

// The layout the README promises, checked against the tree: the zones stay
// apart, no key material reaches runtime code, and a service's module graph
// holds only what it uses.
import { assertEquals, assertOk } from "@thoughts/testing";

const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd: root, stdout: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test("the README stays short and its layout tree names every top-level folder, each of which exists", async () => {
  const readme = await Deno.readTextFile(`${root}/README.md`);
  const lines = readme.split("\n").length - 1;
  assertOk(lines <= 150, `README.md has ${lines} lines`);
  const tree = /## Layout[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1];
  assertOk(tree, "README.md has no layout tree");
  // Each line: a folder, indented by two spaces per level below its parent.
  const named: string[] = [];
  const parents: string[] = [];
  for (const line of tree.split("\n").filter(Boolean)) {
    const [, indent, folder] = /^( *)(\S+\/)/.exec(line) ?? [];
    if (folder === undefined) continue;
    const depth = indent!.length / 2;
    parents.length = depth;
    const path = [...parents, folder].join("");
    parents.push(folder);
    named.push(path);
  }
  for (const path of named) {
    const info = await Deno.stat(`${root}/${path}`).catch(() => null);
    assertOk(
      info?.isDirectory,
      `The layout names '${path}', which is not a folder`,
    );
  }
  const tracked = new Set(
    (await run("git", ["ls-files"])).split("\n").filter((f) => f.includes("/"))
      .map((f) => `${f.split("/")[0]}/`),
  );
  for (const folder of tracked) {
    assertOk(named.includes(folder), `The layout leaves out '${folder}'`);
  }
});

Deno.test("no private key lives in the runtime folders; the test keys live under testing/testdata", async () => {
  const found = await run("git", [
    "grep",
    "-l",
    "-e",
    "BEGIN PRIVATE KEY",
    "-e",
    "BEGIN RSA PRIVATE KEY",
    "--",
    "users",
    "thoughts",
    "frontend",
    "shared",
  ]);
  assertEquals(found, "");
  const key = await Deno.readTextFile(
    `${root}/testing/testdata/keys/private_key.pem`,
  );
  assertOk(key.startsWith("-----BEGIN PRIVATE KEY-----"));
});

Deno.test("each service's module graph holds no test code, and the frontend's no database engine", async (t) => {
  for (const service of ["users", "thoughts", "frontend"]) {
    await t.step(service, async () => {
      const graph = JSON.parse(
        await run(Deno.execPath(), ["info", "--json", `${service}/main.ts`]),
      );
      const modules: string[] = graph.modules.map((m: { specifier: string }) =>
        m.specifier
      );
      assertOk(modules.length > 20, `a graph of ${modules.length} modules`);
      const local = modules.filter((m) => m.startsWith(`file://${root}/`))
        .map((m) => m.slice(`file://${root}/`.length));
      const testCode = local.filter((m) =>
        m.startsWith("testing/") || m.startsWith("tests/") ||
        /(_test|\/testing)\.tsx?$/.test(m)
      );
      assertEquals(testCode, []);
      const foreign = local.filter((m) =>
        !m.startsWith(`${service}/`) && !m.startsWith("shared/")
      );
      assertEquals(foreign, []);
      if (service === "frontend") {
        const engines = modules.filter((m) =>
          /^npm:\/(postgres|@electric-sql\/pglite)@|shared\/store\/(pglite|postgres|open)\.ts$/
            .test(m)
        );
        assertEquals(engines, []);
      }
    });
  }
});

Deno.test("the runtime zone names Deno only in its serve adapter, so the services run unchanged on Node and Bun", async () => {
  const hits = (await run("git", [
    "grep",
    "--untracked",
    "-n",
    "Deno\\.",
    "--",
    "shared",
    "users",
    "thoughts",
    "frontend",
    ":!*_test.ts",
    ":!*/testing.ts",
  ])).split("\n").filter(Boolean);
  const outside = hits.filter((hit) => !hit.startsWith("shared/service/"));
  assertEquals(outside, [], "Deno named outside shared/service/");
  // Inside the adapter, only the Deno side and the runtime check name it.
  const files = new Set(hits.map((hit) => hit.split(":")[0]));
  assertEquals([...files].sort(), [
    "shared/service/_deno.ts",
    "shared/service/listener.ts",
  ]);
});

const MEMBERS = ["shared", "testing", "users", "thoughts", "frontend"];
const RUNTIME = ["shared", "users", "thoughts", "frontend"];

// Every import of every TypeScript file: [file, specifier, resolved path
// for a relative one].
async function imports(): Promise<[string, string, string | undefined][]> {
  const files = (await run("git", [
    "ls-files",
    "--cached",
    "--others",
    "--exclude-standard",
    "*.ts",
    "*.tsx",
  ])).split("\n").filter(Boolean);
  const found: [string, string, string | undefined][] = [];
  for (const file of files) {
    const text = await Deno.readTextFile(`${root}/${file}`).catch(() => "");
    for (
      const [, spec] of text.matchAll(
        /^\s*(?:import|export)\b[^"';]*?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/gm,
      )
    ) {
      if (!spec) continue;
      const resolved = spec.startsWith(".")
        ? new URL(spec, `file:///${file}`).pathname.slice(1)
        : undefined;
      found.push([file, spec, resolved]);
    }
  }
  return found;
}

const zoneOf = (path: string) => {
  const top = path.split("/")[0]!;
  return MEMBERS.includes(top) ? top : "root";
};
const isTestFile = (file: string) =>
  /(_test|\/testing)\.tsx?$/.test(file) || file.startsWith("tests/");

Deno.test("imports go one way, tools and tests to testing to runtime, and never past another member's exports", async () => {
  const problems: string[] = [];
  for (const [file, spec, resolved] of await imports()) {
    const from = zoneOf(file);
    const to = resolved ? zoneOf(resolved) : undefined;
    if (resolved && from !== to) {
      problems.push(`${file}: '${spec}' reaches into ${to}/ past its exports`);
    }
    const target = resolved ?? spec;
    const testSupport =
      /^(testing\/|tests\/|tools\/)|^@thoughts\/(testing|\w+\/testing)$/
        .test(target);
    if (RUNTIME.includes(from) && !isTestFile(file) && testSupport) {
      problems.push(`${file}: runtime code imports '${spec}'`);
    }
    if (from === "testing" && /^(tools|tests)\//.test(target)) {
      problems.push(`${file}: test support imports '${spec}'`);
    }
  }
  assertEquals(problems, []);
});

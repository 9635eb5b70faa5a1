/**
 * The build: `deno task build [users|thoughts|frontend ...] [--version V]
 * [--test] [--image] [--no-compile] [--runtime compiled|deno|node|bun]
 * [--base IMAGE] [--out DIR]`. Stamps the git version and commit into each service,
 * compiles it (or, with `--runtime deno|node|bun`, bundles it beside that
 * runtime's pinned executable) and
 * packages it as an image on `--base` (or `BASE_IMAGE`; distroless's
 * `cc-debian12:nonroot` by default).
 *
 * @module
 */

import { relative } from "node:path";
import {
  helpText,
  parseTaskArgs,
  type Usage,
  UsageError,
} from "./tools/cli.ts";
import { compile } from "./tools/build/_compile.ts";
import {
  BASE_IMAGE,
  buildImage,
  dockerfile,
  findImageTool,
  type Runtime,
} from "./tools/build/image.ts";
import {
  bundlePayload,
  type BundleRuntime,
  bundleService,
  type RunFile,
  runtimeExecutable,
  runtimeFlags,
  runtimeLibraries,
} from "./tools/build/runtime.ts";
import { selectServices, type ServiceSpec } from "./tools/build/services.ts";
import { entryModule, imageLabels, versionFile } from "./tools/build/stamp.ts";
import { BuildError } from "./tools/build/build_error.ts";
import {
  declaredRequires,
  deriveStamp,
  type VersionMode,
} from "./tools/build/_version.ts";
import { progress } from "./tools/progress.ts";

/**
 * Runs the build for command-line arguments.
 *
 * @param args The arguments after `build.ts`.
 * @param root The repository root.
 * @param env The environment, for `BASE_IMAGE`.
 * @returns The exit code: 0 built (or `--help`), 1 failed, 2 a bad command line.
 * @example Usage
 * ```ts
 * import { build } from "./build.ts";
 *
 * await build(["--help"]); // 0, after printing the usage
 * ```
 */
export async function build(
  args: string[],
  root = import.meta.dirname ?? ".",
  env: Record<string, string> = Deno.env.toObject(),
): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(helpText(USAGE));
    return 0;
  }
  try {
    const plan = await planBuild(args, env);
    for (const [index, service] of plan.services.entries()) {
      const step = `[${index + 1}/${plan.services.length}] ${service.name}`;
      await buildService(service, step, plan, root);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    console.error(`build: ${error.message}`);
    if (error.code !== "usage") return 1;
    console.error("Run 'deno task build --help' for usage.");
    return 2;
  }
}

type Plan = Awaited<ReturnType<typeof planBuild>>;

// The command line checked whole, and the image builder found, before
// minutes of compiling rather than after.
async function planBuild(args: string[], env: Record<string, string>) {
  const { values, positionals } = parseOptions(args);
  const services = selectServices(positionals);
  const runtime = values.runtime as Runtime;
  if (!RUNTIMES.includes(runtime)) {
    throw new BuildError(
      "usage",
      `--runtime is one of ${
        RUNTIMES.map((r) => `'${r}'`).join(", ")
      }, got '${runtime}'`,
    );
  }
  if (values.image && values["no-compile"] && runtime === "compiled") {
    throw new BuildError(
      "usage",
      "--image with --no-compile has no binary to package: drop --no-compile, or use --runtime deno, node or bun",
    );
  }
  if (values.version !== undefined && services.length !== 1) {
    throw new BuildError(
      "usage",
      "--version names one service's release: build one service at a time",
    );
  }
  const tool = values.image ? await findImageTool() : undefined;
  if (values.image && !tool) {
    throw new BuildError(
      "no_image_tool",
      "No image builder: neither a Docker engine nor podman answers 'info'; " +
        "install one, or build dist/<service>/Dockerfile elsewhere",
    );
  }
  const mode: VersionMode = values.test
    ? { kind: "test" }
    : values.version !== undefined
    ? { kind: "explicit", version: values.version }
    : { kind: "git" };
  return {
    services,
    runtime,
    mode,
    tool,
    base: values.base ?? env.BASE_IMAGE ?? BASE_IMAGE,
    out: values.out,
    compile: !values["no-compile"],
  };
}

// One service: its stamp files, its payload, and with --image its image.
async function buildService(
  service: ServiceSpec,
  step: string,
  plan: Plan,
  root: string,
): Promise<void> {
  const { runtime, base, tool } = plan;
  const manifest = JSON.parse(
    await Deno.readTextFile(`${root}/${service.name}/deno.json`),
  );
  const stamp = await deriveStamp({
    service,
    declared: manifest.version,
    mode: plan.mode,
    cwd: root,
  });
  const outDir = `${plan.out ?? `${root}/dist`}/${service.name}`;
  await Deno.mkdir(outDir, { recursive: true });
  const meta = versionFile(
    service,
    stamp,
    runtime === "compiled" ? "compiled" : bundlePayload(runtime),
    declaredRequires(manifest.requires, service.name),
  );
  await writeStampFiles(service, stamp, meta, outDir, plan, root);
  console.log(
    `${service.name}: ${meta.version} (${meta.commit}) -> ${meta.image}`,
  );
  if (runtime !== "compiled") {
    progress("build", `${step}: bundling`);
    await bundlePayloadFiles(service, runtime, outDir, root);
  } else if (plan.compile) {
    progress("build", `${step}: compiling`);
    console.log(`  compiled ${await compile(service, outDir)}`);
  }
  if (service.database) {
    await Deno.mkdir(`${outDir}/data`, { recursive: true });
  }
  if (tool) {
    progress("build", `${step}: building image ${meta.image}`);
    await buildImage(tool, meta.image, outDir);
    console.log(`  image ${meta.image} on ${base} (${tool})`);
  }
}

// What the payload and the image are built from: the stamped entry module,
// version.json and the Dockerfile; another runtime's payload goes.
async function writeStampFiles(
  service: ServiceSpec,
  stamp: Parameters<typeof entryModule>[1],
  meta: ReturnType<typeof versionFile>,
  outDir: string,
  { base, runtime }: Plan,
  root: string,
): Promise<void> {
  const main = relative(outDir, `${root}/${service.name}/main.ts`);
  await Deno.writeTextFile(
    `${outDir}/entry.ts`,
    entryModule(service, stamp, main),
  );
  await Deno.writeTextFile(
    `${outDir}/version.json`,
    JSON.stringify(meta, null, 2) + "\n",
  );
  await Deno.writeTextFile(
    `${outDir}/Dockerfile`,
    dockerfile(service, { base, runtime, labels: imageLabels(meta) }),
  );
  // A payload of another runtime, from an earlier build, stays out of the
  // image's build context.
  const kept = runtime === "compiled" ? [service.name] : [runtime, "app"];
  for (const stale of [service.name, "deno", "node", "bun", "app"]) {
    if (kept.includes(stale)) continue;
    await Deno.remove(`${outDir}/${stale}`, { recursive: true }).catch(
      () => {},
    );
  }
}

// The bundle beside the runtime's executable, its libraries and `run.json`.
async function bundlePayloadFiles(
  service: ServiceSpec,
  runtime: BundleRuntime,
  outDir: string,
  root: string,
): Promise<void> {
  console.log(`  bundled ${await bundleService(service, outDir, root)}`);
  const executable = await runtimeExecutable(`${root}/dist/.cache`, runtime);
  await Deno.copyFile(executable, `${outDir}/${runtime}`);
  await Deno.chmod(`${outDir}/${runtime}`, 0o755);
  for (const lib of await runtimeLibraries(runtime, outDir)) {
    console.log(`  with ${lib} from Debian`);
  }
  const run: RunFile = {
    program: `./${runtime}`,
    args: [...runtimeFlags(runtime), `app/bundle/${service.name}.js`],
  };
  await Deno.writeTextFile(
    `${outDir}/run.json`,
    JSON.stringify(run, null, 2) + "\n",
  );
}

/** The payloads `--runtime` chooses from. */
const RUNTIMES: readonly Runtime[] = ["compiled", "deno", "node", "bun"];

const USAGE: Usage = {
  task: "build",
  synopsis:
    "[users|thoughts|frontend ...] [--version V | --test]\n  [--runtime compiled|deno|node|bun] [--base IMAGE] [--image] [--no-compile]\n  [--out DIR]",
  summary:
    "Stamps each service's git version and commit into it, compiles it (or bundles it\nbeside the pinned deno, node or bun) and, with --image, builds <image>:<version>.",
  options: [
    ["--version V", "the release, instead of git describe (one service)"],
    ["--test", "synthetic versions v2.3, v1.6, v3.7, for test images"],
    [
      "--runtime R",
      "compiled (default, deno compile), or deno, node or bun with a bundle",
    ],
    [
      "--base IMAGE",
      "the image's base (default: BASE_IMAGE, else distroless cc)",
    ],
    ["--image", "also build the image, with docker or podman"],
    ["--no-compile", "write the stamp files only"],
    ["--out DIR", "where each service's folder goes (default: dist)"],
  ],
  example:
    "deno task build users --runtime deno --base localhost/distroless-cc-debian12:nonroot --image",
};

function parseOptions(args: string[]) {
  try {
    return parseTaskArgs({
      args,
      allowPositionals: true,
      options: {
        version: { type: "string" },
        test: { type: "boolean", default: false },
        image: { type: "boolean", default: false },
        "no-compile": { type: "boolean", default: false },
        runtime: { type: "string", default: "compiled" },
        base: { type: "string" },
        out: { type: "string" },
      },
    });
  } catch (error) {
    if (error instanceof UsageError) {
      throw new BuildError("usage", error.message);
    }
    throw error;
  }
}

if (import.meta.main) Deno.exit(await build(Deno.args));

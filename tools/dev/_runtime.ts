/**
 * What runs each service under `deno task dev`: Deno from source, or, with
 * `--runtime node|bun`, a bundle of the service (unstamped, so it reports
 * its version from git as the source does) run by that runtime's pinned
 * executable.
 *
 * @module
 */

import { relative } from "node:path";
import {
  type BundleRuntime,
  bundleService,
  runtimeExecutable,
  runtimeFlags,
} from "../build/runtime.ts";
import { SERVICES } from "../build/services.ts";
import { entryModule } from "../build/stamp.ts";

/** The runtimes `deno task dev` can run the services on. */
export type DevRuntime = "deno" | BundleRuntime;

/** The command that runs one service in development, with `dev.env`. */
export async function devCommand(
  runtime: DevRuntime,
  service: string,
  root: string,
): Promise<{ program: string; args: string[] }> {
  const envFile = `--env-file=${root}/dev.env`;
  if (runtime === "deno") {
    return {
      program: Deno.execPath(),
      args: ["run", "-A", envFile, `${root}/${service}/main.ts`],
    };
  }
  const spec = SERVICES.find((s) => s.name === service)!;
  const outDir = `${root}/dist/dev/${runtime}/${service}`;
  await Deno.mkdir(outDir, { recursive: true });
  await Deno.writeTextFile(
    `${outDir}/entry.ts`,
    entryModule(spec, null, relative(outDir, `${root}/${service}/main.ts`)),
  );
  const bundle = await bundleService(spec, outDir, root);
  const program = await runtimeExecutable(`${root}/dist/.cache`, runtime);
  return { program, args: [...runtimeFlags(runtime), envFile, bundle] };
}

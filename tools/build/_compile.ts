/**
 * `deno compile` of a stamped entry module.
 *
 * @module
 */

import { permissionFlags, type ServiceSpec } from "./services.ts";
import { BuildError } from "./build_error.ts";

/** The arguments of `deno compile` for a service. */
export function compileArgs(service: ServiceSpec, outDir: string): string[] {
  return [
    "compile",
    // Only the npm packages the service's own graph uses, not the lockfile's.
    "--exclude-unused-npm",
    ...permissionFlags(service),
    "--output",
    `${outDir}/${service.name}`,
    `${outDir}/entry.ts`,
  ];
}

/**
 * Compiles a service. `deno compile` needs the Deno runtime `denort`: it
 * downloads it, or uses the file `DENORT_BIN` names.
 *
 * @throws {BuildError} When the runtime cannot be had, naming `DENORT_BIN`, or the compile fails.
 */
export async function compile(
  service: ServiceSpec,
  outDir: string,
  deno = Deno.execPath(),
): Promise<string> {
  const out = await new Deno.Command(deno, {
    args: compileArgs(service, outDir),
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (out.success) return `${outDir}/${service.name}`;
  const stderr = new TextDecoder().decode(out.stderr);
  const denortBin = Deno.env.get("DENORT_BIN");
  if (/denort|dl\.deno\.land|base binary/i.test(stderr)) {
    throw new BuildError(
      "no_runtime",
      denortBin
        ? `Cannot use the Deno runtime at DENORT_BIN='${denortBin}' to compile ${service.name}: ` +
          "point DENORT_BIN at the denort binary of this Deno version"
        : `Cannot download the Deno runtime (denort) to compile ${service.name}: ` +
          "set DENORT_BIN to a denort binary of this Deno version (from the Deno release archive), or build on a machine with internet access",
    );
  }
  throw new BuildError(
    "compile",
    `deno compile of ${service.name} failed:\n${stderr.trim()}`,
  );
}

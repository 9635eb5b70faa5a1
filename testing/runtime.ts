/**
 * Which runtime the tests start services on: Deno from source by default;
 * `TEST_RUNTIME=node` or `bun` runs the stamped bundle `build.ts` makes for
 * that runtime, with its pinned executable, as the images do.
 *
 * @module
 */

import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** A runtime the services run on. */
export type TestRuntime = "deno" | "node" | "bun";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * The runtime the tests start services on, from `TEST_RUNTIME`.
 *
 * @returns `deno` unless `TEST_RUNTIME` says `node` or `bun`.
 * @throws {Error} For any other value, naming the ones it takes.
 * @example Usage
 * ```ts
 * import { testRuntime } from "./runtime.ts";
 *
 * testRuntime(); // "deno" unless TEST_RUNTIME says otherwise
 * ```
 */
export function testRuntime(): TestRuntime {
  const runtime = Deno.env.get("TEST_RUNTIME") ?? "deno";
  if (runtime !== "deno" && runtime !== "node" && runtime !== "bun") {
    throw new Error(
      `TEST_RUNTIME is 'deno', 'node' or 'bun', got '${runtime}'`,
    );
  }
  return runtime;
}

const builds = new Map<TestRuntime, Promise<string>>();

// Builds the three services' bundles for a runtime once per test process,
// under a lock, so test processes running at once never build over each
// other: `deno task build --test --runtime <r> --out dist/test/<r>`.
function built(runtime: TestRuntime): Promise<string> {
  let done = builds.get(runtime);
  if (!done) {
    done = (async () => {
      const out = `${ROOT}dist/test/${runtime}`;
      await Deno.mkdir(out, { recursive: true });
      using lock = await Deno.open(`${out}.lock`, {
        create: true,
        write: true,
      });
      await lock.lock(true);
      const build = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "build.ts",
          "--test",
          "--runtime",
          runtime,
          "--out",
          out,
        ],
        cwd: ROOT,
        stdout: "null",
        stderr: "piped",
      }).output();
      if (!build.success) {
        throw new Error(
          `Cannot build the ${runtime} bundles: ${
            new TextDecoder().decode(build.stderr)
          }`,
        );
      }
      return out;
    })();
    builds.set(runtime, done);
  }
  return done;
}

/**
 * The command that runs a service on the tests' runtime: `deno run` of its
 * `main.ts`, or the runtime's pinned executable running its stamped bundle
 * (built once per test process).
 *
 * @param entry The service's `main.ts`, e.g. `users/main.ts`.
 * @param permissions Deno's permission flags, for Deno.
 * @param runtime The runtime; the tests' by default.
 * @param flags More flags for the runtime, e.g. `--cpu-prof`.
 * @returns The program and its arguments.
 * @example Usage
 * ```ts
 * import { serviceCommand } from "./runtime.ts";
 *
 * const { program, args } = await serviceCommand("users/main.ts", ["-A"]);
 * ```
 */
export async function serviceCommand(
  entry: string,
  permissions: string[] = ["-A"],
  runtime: TestRuntime = testRuntime(),
  flags: string[] = [],
): Promise<{ program: string; args: string[] }> {
  if (runtime === "deno") {
    return {
      program: Deno.execPath(),
      args: ["run", ...permissions, ...flags, entry],
    };
  }
  const service = dirname(entry).split("/").at(-1)!;
  const dir = `${await built(runtime)}/${service}`;
  // As build.ts says it runs: paths relative to the service's folder.
  const run: { program: string; args: string[] } = JSON.parse(
    await Deno.readTextFile(`${dir}/run.json`),
  );
  const inDir = (arg: string) =>
    arg.startsWith("./") || arg.startsWith("app/") ? `${dir}/${arg}` : arg;
  return {
    program: inDir(run.program),
    args: [...flags, ...run.args.map(inDir)],
  };
}

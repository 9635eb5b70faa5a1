// Runs a build tool and returns its output; a failure becomes a BuildError
// with the tool's own message, for the steps of build:base and the payload.
import { BuildError, type BuildErrorCode } from "./build_error.ts";

export async function runTool(
  code: BuildErrorCode,
  cmd: string,
  args: string[],
  cwd?: string,
): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stderr: "piped" })
    .output().catch((cause) => {
      throw new BuildError(code, `Cannot run '${cmd}': ${cause}`);
    });
  if (!out.success) {
    throw new BuildError(
      code,
      `${cmd} ${args.slice(0, 3).join(" ")} failed:\n${
        new TextDecoder().decode(out.stderr).trim()
      }`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

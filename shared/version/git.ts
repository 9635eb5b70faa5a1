/**
 * The two git questions versions are made of, asked of the real `git`.
 *
 * @module
 */

import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs `git` with arguments in a folder; the seam for tests. */
export type GitRunner = (
  args: string[],
  cwd: string,
) => Promise<{ ok: boolean; stdout: string; stderr: string }>;

/**
 * Runs the real `git` binary.
 *
 * @param args The arguments after `git`.
 * @param cwd The folder to run in.
 * @returns Whether it succeeded, and its trimmed output.
 * @example Usage
 * ```ts
 * import { runGit } from "@thoughts/shared/version";
 *
 * const { ok, stdout } = await runGit(["--version"], ".");
 * ok && stdout.startsWith("git version"); // true
 * ```
 */
export const runGit: GitRunner = async (
  args: string[],
  cwd: string,
): Promise<{ ok: boolean; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await run("git", args, { cwd });
    return { ok: true, stdout: stdout.trim(), stderr: stderr.trim() };
  } catch (error) {
    // A failed command, no git installed, or the folder gone: not ok.
    const failed = error as {
      stdout?: string;
      stderr?: string;
      message: string;
    };
    return {
      ok: false,
      stdout: (failed.stdout ?? "").trim(),
      stderr: (failed.stderr || failed.message).trim(),
    };
  }
};

/**
 * The version of a service from its release tags (`<service>/v*`), with the
 * `<service>/` prefix removed and `-dirty` for a modified working tree.
 *
 * @param service The tag prefix: `users`, `thoughts` or `frontend`.
 * @param cwd A folder inside the repository.
 * @param git The git runner.
 * @returns The version, or `undefined` when no tag matches.
 * @example Usage
 * ```ts
 * import { describeService } from "@thoughts/shared/version";
 *
 * // e.g. "v2.3-4-g2257f9c" after the tag users/v2.3; undefined without one.
 * const version = await describeService("users", ".");
 * ```
 */
export async function describeService(
  service: string,
  cwd: string,
  git: GitRunner = runGit,
): Promise<string | undefined> {
  const result = await git(
    ["describe", "--tags", "--dirty", "--match", `${service}/v*`],
    cwd,
  );
  if (!result.ok) return undefined;
  return result.stdout.slice(service.length + 1);
}

/**
 * The full commit of `HEAD`.
 *
 * @param cwd A folder inside the repository.
 * @param git The git runner.
 * @returns The 40-hex commit, or `undefined` outside a repository.
 * @example Usage
 * ```ts
 * import { tmpdir } from "node:os";
 * import { headCommit } from "@thoughts/shared/version";
 *
 * const commit = await headCommit(tmpdir()); // undefined: not a repository
 * ```
 */
export async function headCommit(
  cwd: string,
  git: GitRunner = runGit,
): Promise<string | undefined> {
  const result = await git(["rev-parse", "HEAD"], cwd);
  return result.ok && /^[0-9a-f]{40}$/.test(result.stdout)
    ? result.stdout
    : undefined;
}

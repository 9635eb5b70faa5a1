/**
 * A throwaway git repository for tests of versions, driven by real `git`.
 *
 * @module
 */

/** A temporary repository and a way to run git in it. */
export interface TempRepo extends AsyncDisposable {
  /** The repository folder. */
  dir: string;
  /** Runs git there and returns its trimmed standard output. */
  git(...args: string[]): Promise<string>;
  /** Writes a file and commits it; returns the new commit. */
  commit(file: string, content: string): Promise<string>;
  /**
   * Commits `<service>/deno.json` declaring a release and what it requires,
   * and tags it `<service>/<version>`.
   */
  release(
    service: string,
    version: string,
    requires: Record<string, string>,
  ): Promise<void>;
}

/**
 * Creates an empty repository with a fixed identity.
 *
 * @returns The repository; dispose it to delete the folder.
 * @throws {Error} When a git command fails.
 * @example Usage
 * ```ts
 * import { createTempRepo } from "./temp_repo.ts";
 *
 * await using repo = await createTempRepo();
 * await repo.commit("a.txt", "a");
 * await repo.git("tag", "users/v2.3");
 * await repo.release("thoughts", "v1.7", { users_backend: "v2.4" });
 * ```
 */
export async function createTempRepo(): Promise<TempRepo> {
  const dir = await Deno.makeTempDir({ prefix: "thoughts_repo_" });
  const git = async (...args: string[]) => {
    const out = await new Deno.Command("git", {
      args: [
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.com",
        ...args,
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();
    if (!out.success) {
      throw new Error(`git ${args.join(" ")} failed: ${text(out.stderr)}`);
    }
    return text(out.stdout);
  };
  await git("init", "--quiet", "--initial-branch=main");
  const commit = async (file: string, content: string) => {
    await Deno.writeTextFile(`${dir}/${file}`, content);
    await git("add", file);
    await git("commit", "--quiet", "-m", `Change ${file}`);
    return await git("rev-parse", "HEAD");
  };
  return {
    dir,
    git,
    commit,
    async release(service, version, requires) {
      await Deno.mkdir(`${dir}/${service}`, { recursive: true });
      await commit(
        `${service}/deno.json`,
        JSON.stringify({ name: `@thoughts/${service}`, version, requires }),
      );
      await git("tag", `${service}/${version}`);
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * What a running service reports as its version and commit.
 *
 * @module
 */

import { describeService, type GitRunner, headCommit, runGit } from "./git.ts";
import { parseVersion } from "./version.ts";
import { parseRequires, type Requires } from "./requires.ts";

/** Version and commit, as `build.ts` compiles them into a binary. */
export interface BuildStamp {
  /** The `git describe` version, e.g. `v1.6` or `v1.6-3-gabc1234`. */
  version: string;
  /** The full commit hash. */
  commit: string;
}

/** Where the reported version came from. */
export type BuildSource = "stamped" | "git" | "declared";

/** What `/admin/version/` reports. */
export interface BuildInfo extends BuildStamp {
  /** The service's name. */
  service: string;
  /** Where the version came from. */
  source: BuildSource;
  /** The lowest version of each dependency, e.g. `{ users_backend: "v2.3" }`. */
  requires: Requires;
  /** The replica answering: its host name, the pod's name in Kubernetes. */
  instance?: string;
}

/** The commit reported when none can be known (running outside git). */
export const UNKNOWN_COMMIT = "unknown";

/** Inputs of {@linkcode resolveBuildInfo}. */
export interface ResolveBuildInfoOptions {
  /** The tag prefix and name: `users`, `thoughts` or `frontend`. */
  service: string;
  /** The release declared in the service's `deno.json`, e.g. `v2.3`. */
  declared: string;
  /** The `requires` of the service's `deno.json`; none when absent. */
  requires?: unknown;
  /** The replica's name (`HOSTNAME`), when known. */
  instance?: string;
  /** The stamp compiled in by `build.ts`; `null` when running from source. */
  stamp: BuildStamp | null;
  /** A folder inside the source repository. */
  cwd: string;
  /** The git runner. */
  git?: GitRunner;
}

/**
 * Resolves the build info once, at start. A stamp wins. From source, the
 * `git describe` version is used when it describes the declared release
 * (on its tag or after it); otherwise, as with no tag at all, the declared
 * release is reported, so a development system satisfies its own minimums.
 *
 * @param options The service, its declared release, the stamp and where to ask git.
 * @returns The frozen build info.
 * @throws {VersionError} When the declared release or a requirement is not a version.
 * @example Usage
 * ```ts
 * import { resolveBuildInfo } from "@thoughts/shared/version";
 *
 * const stamp = { version: "v2.3-4-g2257f9c", commit: "2257f9c".padEnd(40, "0") };
 * const info = await resolveBuildInfo({ service: "thoughts", declared: "v1.6", requires: { users_backend: "v2.3" }, stamp, cwd: "." });
 * [info.source, info.requires.users_backend]; // ["stamped", "v2.3"]
 * ```
 */
export async function resolveBuildInfo(
  options: ResolveBuildInfoOptions,
): Promise<BuildInfo> {
  const { service, declared, stamp, cwd, git = runGit } = options;
  const release = parseVersion(declared).release;
  const requires = parseRequires(options.requires, `${service}/deno.json`);
  const instance = options.instance ? { instance: options.instance } : {};
  if (stamp) {
    return Object.freeze({
      service,
      ...stamp,
      source: "stamped",
      requires,
      ...instance,
    });
  }
  const [described, commit = UNKNOWN_COMMIT] = await Promise.all([
    describeService(service, cwd, git),
    headCommit(cwd, git),
  ]);
  const fromGit = described !== undefined && safeRelease(described) === release;
  return Object.freeze({
    service,
    version: fromGit ? described : declared,
    commit,
    source: fromGit ? "git" : "declared",
    requires,
    ...instance,
  });
}

function safeRelease(text: string): string | undefined {
  try {
    return parseVersion(text).release;
  } catch {
    return undefined;
  }
}

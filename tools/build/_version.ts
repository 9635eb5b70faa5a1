/**
 * The version and commit a build stamps.
 *
 * @module
 */

import { BuildError } from "./build_error.ts";
import {
  describeService,
  headCommit,
  parseVersion,
  runGit,
  VersionError,
} from "@thoughts/shared/version";
import { parseRequires, type Requires } from "@thoughts/shared/version";
import type { BuildStamp, GitRunner } from "@thoughts/shared/version";
import type { ServiceSpec } from "./services.ts";

/** How the version is chosen. */
export type VersionMode =
  | { kind: "git" }
  | { kind: "explicit"; version: string }
  | { kind: "test" };

/** Inputs of {@linkcode deriveStamp}. */
export interface DeriveStampOptions {
  service: ServiceSpec;
  /** The release in the service's `deno.json`, e.g. `v2.3`. */
  declared: string;
  mode: VersionMode;
  /** A folder in the repository. */
  cwd: string;
  git?: GitRunner;
}

/**
 * Derives what to stamp: from `git describe --tags --dirty --match
 * '<service>/v*'`, an explicit version, or the fixed test versions. The
 * commit always comes from git.
 *
 * @throws {BuildError} Without a matching tag, outside git, or when the tag disagrees with the declared release.
 */
export async function deriveStamp(
  options: DeriveStampOptions,
): Promise<BuildStamp> {
  const { service, declared, mode, cwd, git = runGit } = options;
  const commit = await headCommit(cwd, git);
  if (!commit) {
    throw new BuildError(
      "not_git",
      `Not a git repository with a commit: '${cwd}'`,
    );
  }
  if (mode.kind === "test") return { version: service.testVersion, commit };
  let version: string;
  if (mode.kind === "explicit") {
    version = mode.version;
  } else {
    const described = await describeService(service.name, cwd, git);
    if (described === undefined) {
      throw new BuildError(
        "no_tag",
        `No tag matches '${service.name}/v*': tag the release with ` +
          `'git tag ${service.name}/${declared}', or pass '--version ${declared}'`,
      );
    }
    version = described;
  }
  let release: string;
  try {
    release = parseVersion(version).release;
  } catch (error) {
    if (error instanceof VersionError) {
      throw new BuildError("bad_version", error.message);
    }
    throw error;
  }
  if (release !== parseVersion(declared).release) {
    throw new BuildError(
      "tag_mismatch",
      `Version '${version}' of ${service.name} disagrees with the declared release '${declared}' ` +
        `in ${service.name}/deno.json: change one of them so they match`,
    );
  }
  return { version, commit };
}

/**
 * The requirements a service's `deno.json` declares, checked.
 *
 * @throws {BuildError} `bad_version`, naming the entry that is wrong.
 */
export function declaredRequires(value: unknown, service: string): Requires {
  try {
    return parseRequires(value, `${service}/deno.json`);
  } catch (error) {
    if (error instanceof VersionError) {
      throw new BuildError("bad_version", error.message);
    }
    throw error;
  }
}

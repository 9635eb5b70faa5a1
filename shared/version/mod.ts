/**
 * Versions: parsing and ordering `git describe` versions, the build info a
 * service reports, and the start-up check of its dependencies' minimum
 * versions.
 *
 * @module
 */

export {
  type BuildInfo,
  type BuildSource,
  type BuildStamp,
  resolveBuildInfo,
  type ResolveBuildInfoOptions,
  UNKNOWN_COMMIT,
} from "./build_info.ts";
export {
  checkDependencies,
  type CheckOptions,
  type Dependency,
  DependencyError,
} from "./dependency_check.ts";
export { dependencyService, parseRequires, type Requires } from "./requires.ts";
export {
  askReplicas,
  groupReplicas,
  parseVersionAnswer,
  type ReplicaAnswers,
  SAMPLES,
  type VersionAnswer,
  type VersionGroup,
} from "./replicas.ts";
export { describeService, type GitRunner, headCommit, runGit } from "./git.ts";
export {
  compareVersions,
  parseVersion,
  satisfiesMinimum,
  type Version,
  VersionError,
} from "./version.ts";

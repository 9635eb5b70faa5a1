/**
 * The one error of a build, with a code scripts and tests can rely on.
 *
 * @module
 */

/** Why a build failed. */
export type BuildErrorCode =
  | "usage"
  | "not_git"
  | "no_tag"
  | "bad_version"
  | "tag_mismatch"
  | "no_runtime"
  | "compile"
  | "no_image_tool"
  | "image";

/**
 * The error of a build that cannot go on; the message says how to fix it.
 *
 * @example Usage
 * ```ts
 * import { BuildError } from "./build_error.ts";
 *
 * new BuildError("no_tag", "No tag matches 'users/v*'").code; // "no_tag"
 * ```
 */
export class BuildError extends Error {
  /** Why the build failed. */
  readonly code: BuildErrorCode;

  /**
   * Creates the error.
   *
   * @param code Why the build failed.
   * @param message What is wrong and what to do.
   */
  constructor(code: BuildErrorCode, message: string) {
    super(message);
    this.name = "BuildError";
    this.code = code;
  }
}

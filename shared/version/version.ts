/**
 * Release versions as the services and `git describe` write them:
 * `v1.6`, `v1.6.1`, `v1.6-17-g2257f9c`, optionally ending in `-dirty`.
 *
 * @module
 */

// @ts-types="@types/semver"
import semver from "semver";

/** A parsed version. */
export interface Version {
  /** The release, as semver `MAJOR.MINOR.PATCH`. */
  release: string;
  /** Commits after the release tag; 0 on the tag itself. */
  commitsAfter: number;
  /** The abbreviated commit of a `git describe` version. */
  abbrev?: string;
  /** Whether the working tree had uncommitted changes. */
  dirty: boolean;
  /** The text it was parsed from. */
  text: string;
}

/** The error of text that is not a version. */
export class VersionError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong, quoting the text.
   */
  constructor(message: string) {
    super(message);
    this.name = "VersionError";
  }
}

const PATTERN =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:-(\d+)-g([0-9a-f]{4,40}))?(-dirty)?$/;

/**
 * Parses a version.
 *
 * @param text The version, e.g. `v1.6` or `v1.6-17-g2257f9c`.
 * @returns The parsed version.
 * @throws {VersionError} When the text is not a version.
 * @example Usage
 * ```ts
 * import { parseVersion } from "@thoughts/shared/version";
 *
 * parseVersion("v1.6-17-g2257f9c").commitsAfter; // 17
 * ```
 */
export function parseVersion(text: string): Version {
  const match = PATTERN.exec(text);
  if (!match) throw new VersionError(`Cannot parse version: '${text}'`);
  const [, major, minor, patch = "0", after, abbrev, dirty] = match;
  return {
    release: `${major}.${minor}.${patch}`,
    commitsAfter: after === undefined ? 0 : Number(after),
    abbrev,
    dirty: dirty !== undefined,
    text,
  };
}

/**
 * Compares two versions; a `git describe` version orders above its tag and
 * below the next release. Plain semver would rank `v1.6-17-g…` as a
 * pre-release, below `v1.6`, which is why the commit count is compared here.
 *
 * @param a A version.
 * @param b Another version.
 * @returns A negative number, zero or a positive number as `a` is below, equal to or above `b`.
 * @throws {VersionError} When either text is not a version.
 * @example Usage
 * ```ts
 * import { compareVersions } from "@thoughts/shared/version";
 *
 * compareVersions("v1.9", "v1.10") < 0; // true
 * ```
 */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  return semver.compare(va.release, vb.release) ||
    Math.sign(va.commitsAfter - vb.commitsAfter);
}

/**
 * Whether a found version satisfies a minimum.
 *
 * @param found The version a service reports.
 * @param minimum The lowest acceptable version.
 * @returns `true` when `found` is at or above `minimum`.
 * @throws {VersionError} When either text is not a version.
 * @example Usage
 * ```ts
 * import { satisfiesMinimum } from "@thoughts/shared/version";
 *
 * satisfiesMinimum("v1.5", "v1.6"); // false
 * ```
 */
export function satisfiesMinimum(found: string, minimum: string): boolean {
  return compareVersions(found, minimum) >= 0;
}

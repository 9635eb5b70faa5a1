/**
 * What the replicas behind one address say of themselves: a service's
 * `/admin/version/` asked several times over fresh connections (a
 * Kubernetes Service picks a replica per connection), grouped by version,
 * so a rollout half done shows as two versions with their replica counts.
 *
 * @module
 */

import { parseRequires, type Requires } from "./requires.ts";
import { compareVersions, parseVersion, VersionError } from "./version.ts";

/** One answer of `/admin/version/`, checked. */
export interface VersionAnswer {
  version: string;
  commit: string;
  requires: Requires;
  /** The replica's name; the address asked when it gives none. */
  instance: string;
}

/** The replicas that answered with one version. */
export interface VersionGroup {
  version: string;
  commit: string;
  requires: Requires;
  /** Their names, sorted. */
  instances: string[];
}

/** How many times an address is asked by default. */
export const SAMPLES = 8;

/**
 * Checks one `/admin/version/` body.
 *
 * @param body The parsed JSON.
 * @param fallback The instance when the body names none (the address asked).
 * @returns The answer.
 * @throws {VersionError} When the version or a requirement is malformed.
 * @example Usage
 * ```ts
 * import { parseVersionAnswer } from "./replicas.ts";
 *
 * parseVersionAnswer({ version: "v1.6", commit: "c", requires: {}, instance: "thoughts-0" }, "10.0.0.5").instance; // "thoughts-0"
 * ```
 */
export function parseVersionAnswer(
  body: unknown,
  fallback: string,
): VersionAnswer {
  const fields = (typeof body === "object" && body !== null ? body : {}) as {
    version?: unknown;
    commit?: unknown;
    requires?: unknown;
    instance?: unknown;
  };
  if (typeof fields.version !== "string") {
    throw new VersionError("The answer gives no version");
  }
  parseVersion(fields.version);
  return {
    version: fields.version,
    commit: typeof fields.commit === "string" ? fields.commit : "",
    requires: parseRequires(fields.requires, fields.version),
    instance: typeof fields.instance === "string" && fields.instance
      ? fields.instance
      : fallback,
  };
}

/**
 * Groups answers by version, each replica counted once.
 *
 * @param answers The answers, in any order, repeats included.
 * @returns One group per version, lowest version first.
 * @example Usage
 * ```ts
 * import { groupReplicas } from "./replicas.ts";
 *
 * const a = { version: "v1.6", commit: "a", requires: {}, instance: "t-0" };
 * const b = { version: "v1.7", commit: "b", requires: {}, instance: "t-1" };
 * groupReplicas([a, b, a]).map((g) => `${g.version} ${g.instances.length}`); // ["v1.6 1", "v1.7 1"]
 * ```
 */
export function groupReplicas(answers: VersionAnswer[]): VersionGroup[] {
  const groups = new Map<string, VersionGroup>();
  for (const answer of answers) {
    const group = groups.get(answer.version) ?? {
      version: answer.version,
      commit: answer.commit,
      requires: answer.requires,
      instances: [],
    };
    if (!group.instances.includes(answer.instance)) {
      group.instances.push(answer.instance);
    }
    groups.set(answer.version, group);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, instances: g.instances.sort() }))
    .sort((a, b) => compareVersions(a.version, b.version));
}

/** What asking a service's replicas gave. */
export interface ReplicaAnswers {
  /** The versions answering, lowest first. */
  versions: VersionGroup[];
  /** How many were asked, and why each that failed did. */
  asked: number;
  errors: string[];
}

/**
 * Asks all at once and groups the answers; a failed ask is kept as its
 * message, so an unknown replica is never taken for none.
 *
 * @param asks One function per request.
 * @returns The versions and the errors.
 * @example Usage
 * ```ts
 * import { askReplicas } from "./replicas.ts";
 *
 * const one = { version: "v1.6", commit: "c", requires: {}, instance: "t-0" };
 * const result = await askReplicas([() => Promise.resolve(one), () => Promise.reject(new Error("refused"))]);
 * [result.versions.length, result.errors]; // [1, ["refused"]]
 * ```
 */
export async function askReplicas(
  asks: (() => Promise<VersionAnswer>)[],
): Promise<ReplicaAnswers> {
  const answers: VersionAnswer[] = [];
  const errors: string[] = [];
  await Promise.all(asks.map((ask) =>
    ask().then(
      (answer) => answers.push(answer),
      (error) => errors.push((error as Error).message),
    )
  ));
  return { versions: groupReplicas(answers), asked: asks.length, errors };
}

/**
 * Whether a release is safe, and in what order: the live versions of every
 * service and the candidates' requirements in, either ordered steps or the
 * sentences naming each requirement a step would break out. A step is a
 * rolling update, so while it runs the old and the new version serve side
 * by side: the new version's requirements must hold against every running
 * replica of its dependencies, and every running dependent must accept it.
 *
 * @module
 */

import {
  compareVersions,
  dependencyService,
  type Requires,
} from "@thoughts/shared/version";

/** One version running, with what it requires. */
export interface Running {
  version: string;
  requires: Requires;
  /** The replicas answering with it. */
  instances: string[];
}

/** What a service runs now, or why that is unknown. */
export interface LiveService {
  service: string;
  /** Where it was asked: a URL, or `k8s:local`. */
  where: string;
  versions: Running[];
  error?: string;
}

/** A version to deploy. */
export interface Candidate {
  service: string;
  version: string;
  /** The image the step deploys. */
  image: string;
  requires: Requires;
  /** Where its requirements were read, e.g. `tag thoughts/v1.7`. */
  source: string;
}

/** One rolling update. */
export interface Step {
  service: string;
  /** The versions it replaces. */
  from: string[];
  to: Candidate;
}

/** The answer: steps in a safe order, or why there is none. */
export type Plan =
  | { safe: true; steps: Step[]; unchanged: string[] }
  | { safe: false; problems: string[] };

type State = Map<string, { version: string; requires: Requires }[]>;

const lower = (a: string, b: string) => compareVersions(a, b) < 0;

// What deploying `to` onto `state` would break, in sentences.
function problemsOf(state: State, to: Candidate, live: State): string[] {
  const problems: string[] = [];
  for (const [dependency, minimum] of Object.entries(to.requires)) {
    const service = dependencyService(dependency);
    const running = state.get(service);
    if (!running) {
      problems.push(
        `${to.service} ${to.version} requires ${service} ≥ ${minimum}, which is not among the services asked`,
      );
      continue;
    }
    const below = running.filter((r) => lower(r.version, minimum));
    if (below.length > 0) {
      problems.push(
        `${to.service} ${to.version} requires ${service} ≥ ${minimum}, but ${service} runs ${
          below.map((r) => r.version).join(" and ")
        }`,
      );
    }
  }
  const reverting = (live.get(to.service) ?? []).some((r) =>
    lower(to.version, r.version)
  );
  const verb = reverting
    ? `reverting ${to.service} to ${to.version}`
    : `deploying ${to.service} ${to.version}`;
  for (const [service, running] of state) {
    if (service === to.service) continue;
    for (const r of running) {
      const minimum = r.requires[`${to.service}_backend`];
      if (minimum && lower(to.version, minimum)) {
        problems.push(
          `${verb} breaks ${service} ${r.version}, which requires ${to.service} ≥ ${minimum}`,
        );
      }
    }
  }
  return problems;
}

function* orders<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield items;
    return;
  }
  for (const [i, item] of items.entries()) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const order of orders(rest)) yield [item, ...order];
  }
}

// What makes a plan impossible before any order is tried: an unknown live
// version (never safe), a service not asked, or one named twice.
function inputProblems(live: LiveService[], candidates: Candidate[]): string[] {
  const unknown = live.filter((s) => s.error || s.versions.length === 0);
  if (unknown.length > 0) {
    return unknown.map((s) =>
      `the version of ${s.service} at ${s.where} is unknown (${
        s.error ?? "no replica answered"
      }), and unknown is never safe`
    );
  }
  const names = live.map((s) => s.service);
  const problems: string[] = [];
  for (const c of candidates) {
    if (!names.includes(c.service)) {
      problems.push(`${c.service} is not among the services asked`);
    }
    if (candidates.filter((o) => o.service === c.service).length > 1) {
      problems.push(`${c.service} is named twice`);
    }
  }
  return [...new Set(problems)];
}

/**
 * Plans a release: the first order, dependencies first, in which every
 * step keeps every requirement met; or, when there is none, each broken
 * requirement. A service whose version is unknown makes every plan unsafe.
 */
export function planRelease(
  live: LiveService[],
  candidates: Candidate[],
): Plan {
  const problems = inputProblems(live, candidates);
  if (problems.length > 0) return { safe: false, problems };
  const names = live.map((s) => s.service);
  const start: State = new Map(live.map((s) => [s.service, s.versions]));
  // Already running everywhere: nothing to roll.
  const unchanged = candidates.filter((c) =>
    start.get(c.service)!.every((r) => r.version === c.version)
  );
  const changes = candidates
    .filter((c) => !unchanged.includes(c))
    .sort((a, b) => names.indexOf(a.service) - names.indexOf(b.service));
  let firstFailure: string[] | undefined;
  for (const order of orders(changes)) {
    const state: State = new Map(start);
    const steps: Step[] = [];
    let failed: string[] = [];
    for (const to of order) {
      failed = problemsOf(state, to, start);
      if (failed.length > 0) break;
      steps.push({
        service: to.service,
        from: state.get(to.service)!.map((r) => r.version),
        to,
      });
      state.set(to.service, [{ version: to.version, requires: to.requires }]);
    }
    if (failed.length === 0) {
      return {
        safe: true,
        steps,
        unchanged: unchanged.map((c) =>
          `${c.service} already runs ${c.version}`
        ),
      };
    }
    firstFailure ??= failed;
  }
  // No order works: what the end state itself would break, or else what
  // breaks on the way there.
  const end: State = new Map(start);
  for (const to of changes) {
    end.set(to.service, [{ version: to.version, requires: to.requires }]);
  }
  const broken = changes.flatMap((to) => problemsOf(end, to, start));
  return {
    safe: false,
    problems: broken.length > 0 ? [...new Set(broken)] : [
      "no order keeps every requirement met while the services roll",
      ...firstFailure!,
    ],
  };
}

/**
 * The startup dependency check: ask each dependency's `/admin/version/`
 * and compare with its minimum, before listening.
 *
 * @module
 */

import { retry } from "../async/retry.ts";
import { parseVersion, satisfiesMinimum } from "./version.ts";

/** A service this one needs, at a minimum version. */
export interface Dependency {
  /** The name printed, e.g. `thoughts_backend`. */
  name: string;
  /** The base URL. */
  url: string;
  /** The lowest acceptable version, e.g. `v1.6`. */
  minimum: string;
}

/** Why the check failed. */
export class DependencyError extends Error {
  /** `too_old` exits at once; `unreachable` after retrying. */
  readonly reason: "too_old" | "unreachable";

  /**
   * Creates the error.
   *
   * @param reason Why.
   * @param message What happened, naming the URL or versions.
   */
  constructor(
    reason: "too_old" | "unreachable",
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "DependencyError";
    this.reason = reason;
  }
}

/** Options of {@linkcode checkDependencies}. */
export interface CheckOptions {
  /** Fetches a URL; the real `fetch` by default. */
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /** Prints one line. */
  print?: (line: string) => void;
  /** How long to retry an unreachable dependency; milliseconds. */
  timeoutMs?: number;
  /** How long one request may take; milliseconds. */
  requestTimeoutMs?: number;
  /** Forwarded to `retry`, for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Forwarded to `retry`, for tests. */
  now?: () => number;
}

async function fetchVersion(
  dep: Dependency,
  options: CheckOptions,
): Promise<string> {
  const url = `${dep.url}/admin/version/`;
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      signal: AbortSignal.timeout(options.requestTimeoutMs ?? 5000),
    });
  } catch (cause) {
    throw new DependencyError(
      "unreachable",
      `Cannot reach '${url}': ${(cause as Error).message}`,
      { cause },
    );
  }
  const text = await response.text();
  if (!response.ok) {
    throw new DependencyError(
      "unreachable",
      `'${url}' answered ${response.status}`,
    );
  }
  let version: unknown;
  try {
    version = JSON.parse(text).version;
  } catch {
    throw new DependencyError("unreachable", `'${url}' did not answer JSON`);
  }
  if (typeof version !== "string") {
    throw new DependencyError("unreachable", `'${url}' reported no version`);
  }
  return version;
}

/**
 * Checks each dependency in turn, printing for each:
 *
 *     Checking minimum version for thoughts_backend
 *     Minimum v1.6, found v1.5
 *     Version v1.5 is incorrect (min v1.6)
 *
 * A version below the minimum (or not a version) fails at once; an
 * unreachable dependency is retried with backoff up to the time bound.
 *
 * @param deps The dependencies.
 * @param options Fetch, output, time bounds.
 * @returns When every dependency holds its minimum.
 * @throws {DependencyError} Naming the dependency and the reason.
 * @example Usage
 * ```ts
 * import { checkDependencies } from "@thoughts/shared/version";
 *
 * const lines: string[] = [];
 * const found = (version: string) => () => Promise.resolve(Response.json({ version }));
 * const deps = [{ name: "users_backend", url: "http://users-service", minimum: "v2.3" }];
 * await checkDependencies(deps, { fetch: found("v2.4"), print: (l) => lines.push(l) });
 * lines.at(-1); // "Version v2.4 is correct"
 * await checkDependencies(deps, { fetch: found("v2.2"), print: () => {} })
 *   .catch((error) => error.reason); // "too_old"
 * ```
 */
export async function checkDependencies(
  deps: readonly Dependency[],
  options: CheckOptions = {},
): Promise<void> {
  const print = options.print ?? console.log;
  for (const dep of deps) {
    print(`Checking minimum version for ${dep.name}`);
    const version = await retry(() => fetchVersion(dep, options), {
      timeoutMs: options.timeoutMs ?? 30_000,
      initialDelayMs: 250,
      maxDelayMs: 4000,
      sleep: options.sleep,
      now: options.now,
      onRetry: (error, attempt, delay) =>
        print(
          `${dep.name} not ready (attempt ${attempt}): ${
            (error as Error).message
          }; retrying in ${delay} ms`,
        ),
    }).catch((error) => {
      throw new DependencyError(
        "unreachable",
        `Giving up on ${dep.name}: ${(error as Error).message}`,
        { cause: error },
      );
    });
    print(`Minimum ${dep.minimum}, found ${version}`);
    let ok = false;
    try {
      parseVersion(version);
      ok = satisfiesMinimum(version, dep.minimum);
    } catch {
      // Not a version: as wrong as one too old.
    }
    if (!ok) {
      const message = `Version ${version} is incorrect (min ${dep.minimum})`;
      print(message);
      throw new DependencyError("too_old", message);
    }
    print(`Version ${version} is correct`);
  }
}

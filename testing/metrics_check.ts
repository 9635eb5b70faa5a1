/**
 * Checks that `/metrics` tells the same facts as `/admin/version/`.
 *
 * @module
 */

import type { Env, Hono } from "hono";
import { assertStringIncludes } from "./assert.ts";

/**
 * Asserts `build_info` carries the service, version and commit of
 * `/admin/version/`, and `token_keys` one series per accepted kid.
 *
 * @param app The app.
 * @returns The metrics text.
 * @throws {AssertionError} When they disagree.
 * @example Usage
 * ```ts
 * import { createServiceApp } from "@thoughts/shared/http";
 * import { memoryLogger } from "@thoughts/shared/log";
 * import { checkBuildInfoMetric } from "./metrics_check.ts";
 *
 * const info = { service: "users", version: "v2.3", commit: "c".repeat(40), source: "stamped", requires: {} } as const;
 * await checkBuildInfoMetric(createServiceApp({ info, logger: memoryLogger().logger, title: "Users" }));
 * ```
 */
export async function checkBuildInfoMetric<E extends Env>(
  app: Hono<E>,
): Promise<string> {
  const version = await (await app.request("/admin/version/", {
    headers: { Accept: "application/json" },
  })).json();
  const metrics = await (await app.request("/metrics")).text();
  assertStringIncludes(
    metrics,
    `build_info{service="${version.service}",version="${version.version}",commit="${version.commit}"} 1`,
  );
  for (const kid of version.kids ?? []) {
    assertStringIncludes(metrics, `token_keys{kid="${kid}"} 1`);
  }
  return metrics;
}

/**
 * The release scenario both systems are tested with (the dev system and
 * `k8s:local`): tags for a revert, a users release and a thoughts release
 * that needs it, then the plan that puts users first and the refused revert.
 *
 * @module
 */

import { assertEquals, assertOk, assertStringIncludes } from "./assert.ts";
import type { DenoRun } from "./run_deno.ts";
import type { TempRepo } from "./temp_repo.ts";

/**
 * Tags `thoughts/v1.5` (needs users v2.3), `users/v2.4`, and `thoughts/v1.7`
 * (needs users v2.4).
 *
 * @param repo A throwaway repository.
 * @example Usage
 * ```ts
 * import { createTempRepo } from "./mod.ts";
 * import { tagScenario } from "@thoughts/testing";
 *
 * await using repo = await createTempRepo();
 * await tagScenario(repo);
 * ```
 */
export async function tagScenario(repo: TempRepo): Promise<void> {
  await repo.release("thoughts", "v1.5", { users_backend: "v2.3" });
  await repo.release("users", "v2.4", {});
  await repo.release("thoughts", "v1.7", { users_backend: "v2.4" });
}

/**
 * Plans thoughts v1.7 with users v2.4 (users first, with `firstCommand`) and
 * the revert of thoughts to v1.5 (refused, naming the frontend).
 *
 * @param release Runs `deno task release` with these arguments against the system.
 * @param firstCommand The first command the plan's users step prints.
 * @param replicas The live line of thoughts, e.g. `thoughts  v1.6 on 2 replicas`.
 * @example Usage
 * ```ts
 * import { checkScenario } from "@thoughts/testing";
 *
 * // What `deno task release` says of the scenario, as a running system answers.
 * const plan = [
 *   "  thoughts  v1.6 on 1 replica",
 *   "  thoughts  v1.7 (tag thoughts/v1.7) requires users_backend ≥ v2.4",
 *   "Plan: 2 steps, dependencies first",
 *   "  1. users v2.3 → v2.4 (users_server:v2.4)",
 *   "       kubectl set image deployment/users users=users_server:v2.4",
 *   "  2. thoughts v1.6 → v1.7 (thoughts_server:v1.7)",
 * ].join("\n");
 * const revert = "reverting thoughts to v1.5 breaks frontend v3.7, which requires thoughts ≥ v1.6";
 * await checkScenario(
 *   (...args) => Promise.resolve(args.includes("thoughts@v1.5")
 *     ? { code: 1, stdout: revert, stderr: "", seconds: 0 }
 *     : { code: 0, stdout: plan, stderr: "", seconds: 0 }),
 *   "kubectl set image deployment/users users=users_server:v2.4",
 *   "thoughts  v1.6 on 1 replica",
 * );
 * ```
 */
export async function checkScenario(
  release: (...args: string[]) => Promise<DenoRun>,
  firstCommand: string,
  replicas: string,
): Promise<void> {
  const plan = await release("plan", "thoughts@v1.7", "users@v2.4");
  assertEquals(plan.code, 0, plan.stdout + plan.stderr);
  for (
    const line of [
      `  ${replicas}`,
      "  thoughts  v1.7 (tag thoughts/v1.7) requires users_backend ≥ v2.4",
      "Plan: 2 steps, dependencies first",
      "  1. users v2.3 → v2.4 (users_server:v2.4)",
      `       ${firstCommand}`,
      "  2. thoughts v1.6 → v1.7 (thoughts_server:v1.7)",
    ]
  ) assertStringIncludes(plan.stdout, line);
  assertOk(
    plan.stdout.indexOf("1. users") < plan.stdout.indexOf("2. thoughts"),
  );
  const revert = await release("plan", "thoughts@v1.5");
  assertEquals(revert.code, 1, revert.stderr);
  assertStringIncludes(
    revert.stdout,
    "reverting thoughts to v1.5 breaks frontend v3.7, which requires thoughts ≥ v1.6",
  );
}

/**
 * `release plan --apply`: runs each step's commands, asking the live
 * versions again before each step (the rest is planned anew and must still
 * start with it) and after it (every replica must answer with the new
 * version), and stops at the first surprise.
 *
 * @module
 */

import { progress } from "../progress.ts";
import { versionsText } from "./_live.ts";
import { type LiveService, planRelease, type Step } from "./_plan.ts";
import { stepCommands, type Target, type Workload } from "./_steps.ts";
import { ROOT as root } from "../root.ts";

/** A step in words: `thoughts v1.6 → v1.7`. */
export function stepName(step: Step): string {
  return `${step.service} ${step.from.join(" and ")} → ${step.to.version}`;
}

/** Runs the steps in order: 0 when every step is done, 1 when it stopped. */
export async function applySteps(
  steps: Step[],
  target: Target,
  deployments: Record<string, Workload>,
  readLive: () => Promise<LiveService[]>,
): Promise<number> {
  const total = steps.length;
  for (const [i, step] of steps.entries()) {
    const at = `[${i + 1}/${total}] ${step.service}`;
    // What runs may have changed since the plan: plan the rest again.
    const again = planRelease(
      await readLive(),
      steps.slice(i).map((s) => s.to),
    );
    if (!again.safe || again.steps[0]?.service !== step.service) {
      console.error(
        `release: stopped before ${at}: ${
          again.safe
            ? `the plan now starts with ${again.steps[0]?.service ?? "nothing"}`
            : again.problems.join("; ")
        }`,
      );
      return 1;
    }
    for (const cmd of stepCommands(step, target, deployments[step.service]!)) {
      progress("release", `${at}: ${cmd.join(" ")}`);
      const failed = await run(cmd);
      if (failed) {
        console.error(`release: stopped at ${at}: ${failed}`);
        return 1;
      }
    }
    const after = (await readLive()).find((s) => s.service === step.service);
    const others = after?.versions.filter((v) =>
      v.version !== step.to.version
    ) ?? [];
    if (
      !after || after.error || others.length > 0 || after.versions.length === 0
    ) {
      console.error(
        `release: stopped after ${at}: it answers ${
          after ? versionsText(after) : "nothing"
        }${
          after?.error ? ` (${after.error})` : ""
        }, not ${step.to.version} on every replica`,
      );
      return 1;
    }
    progress("release", `${at}: ${versionsText(after)}`);
  }
  console.log(`Applied: ${steps.map(stepName).join(", then ")}`);
  return 0;
}

// Runs one command of a step; why it failed, or "" when it exited 0.
async function run(cmd: string[]): Promise<string> {
  const [program, ...args] = cmd;
  try {
    const { code } = await new Deno.Command(
      program === "deno" ? Deno.execPath() : program!,
      { args, cwd: root, stdin: "null" },
    ).spawn().status;
    return code === 0 ? "" : `'${cmd.join(" ")}' exited with ${code}`;
  } catch (error) {
    return `cannot run '${program}': ${(error as Error).message}`;
  }
}

/**
 * `deno task release plan|check <service>@<version|image>...`: whether a
 * deploy or a revert is safe against what runs now, and in what order;
 * `plan --apply` runs the steps, checking the live versions again before
 * and after each, and stops at the first surprise.
 *
 * @module
 */

import { parseCli, type Usage, usageError } from "../cli.ts";
import { serviceUrls } from "../service_urls.ts";
import { applySteps, stepName } from "./_apply.ts";
import { readCandidate } from "./_candidates.ts";
import { describeLive, liveAtUrls, liveInK8sLocal } from "./_live.ts";
import { type Candidate, planRelease, type Step } from "./_plan.ts";
import {
  stepCommands,
  type Target,
  type Workload,
  workloads,
} from "./_steps.ts";
import { ROOT as root } from "../root.ts";

const USAGE: Usage = {
  task: "release",
  synopsis:
    "plan|check SERVICE@VERSION|SERVICE@IMAGE... [--service NAME=URL]... [--k8s-local [--port N] [--secrets DIR]] [--repo DIR] [--apply]",
  summary:
    "Says whether deploying (or reverting to) the given versions is safe against the\nversions running now, in both directions, and in what order: dependencies first.\nA version's requirements come from its release tag's deno.json, or the labels of\nits image. 'check' prints one verdict and exits 0 when safe, 1 when not; 'plan' prints\nthe steps, and with --apply runs them, re-checking between steps.",
  options: [
    [
      "--service NAME=URL",
      "a service's address, repeatable (default: the Ingress hosts)",
    ],
    ["--k8s-local", "ask and roll the pods of 'deno task k8s:local'"],
    ["--port N", "k8s:local's frontend port, passed to its roll"],
    ["--secrets DIR", "k8s:local's secrets, passed to its roll"],
    ["--repo DIR", "the repository with the release tags (default: this one)"],
    ["--apply", "run the steps, waiting for each rollout"],
  ],
  example: "deno task release plan thoughts@v1.7 users@v2.4",
};

/**
 * Runs the release command.
 *
 * @param args The command-line arguments.
 * @returns The exit code: 0 safe (or applied), 1 refused or stopped.
 */
async function release(args: string[]): Promise<number> {
  const { command, named, values } = options(args);
  const target: Target = values["k8s-local"]
    ? { kind: "k8s:local", port: values.port, secrets: values.secrets }
    : { kind: "cluster" };
  const urls = values["k8s-local"]
    ? []
    : serviceUrls("release", values.service);
  const readLive = () =>
    values["k8s-local"] ? liveInK8sLocal() : liveAtUrls(urls);
  let candidates: Candidate[];
  try {
    candidates = await Promise.all(
      named.map((text) => readCandidate(text, values.repo)),
    );
  } catch (error) {
    console.error(`release: ${(error as Error).message}`);
    return 1;
  }
  const live = await readLive();
  const plan = planRelease(live, candidates);
  if (command === "check") {
    console.log(
      plan.safe
        ? `Safe: ${plan.steps.map(stepName).join(", then ") || "nothing to do"}`
        : `Not safe:\n${plan.problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    return plan.safe ? 0 : 1;
  }
  console.log(
    `Live (${
      target.kind === "k8s:local" ? "k8s:local" : "asked at their URLs"
    }):`,
  );
  for (const line of describeLive(live)) console.log(line);
  console.log("Candidates:");
  for (const c of candidates) {
    const needs = Object.entries(c.requires).map(([d, m]) => `${d} ≥ ${m}`);
    console.log(
      `  ${c.service.padEnd(9)} ${c.version} (${c.source}) requires ${
        needs.join(", ") || "nothing"
      }`,
    );
  }
  if (!plan.safe) {
    console.log("Refused:");
    for (const problem of plan.problems) console.log(`  - ${problem}`);
    return 1;
  }
  const deployments = await workloads(`${root}/k8s`);
  printSteps(plan.steps, plan.unchanged, target, deployments);
  if (!values.apply) return 0;
  return await applySteps(plan.steps, target, deployments, readLive);
}

function options(args: string[]) {
  const { values, positionals } = parseCli(USAGE, {
    args,
    allowPositionals: true,
    options: {
      service: { type: "string", multiple: true },
      "k8s-local": { type: "boolean", default: false },
      port: { type: "string" },
      secrets: { type: "string" },
      repo: { type: "string", default: root },
      apply: { type: "boolean", default: false },
    },
  });
  const [command, ...named] = positionals;
  if (command !== "plan" && command !== "check") {
    usageError(
      "release",
      `Unknown command '${command ?? ""}' (expected plan or check)`,
    );
  }
  if (named.length === 0) {
    usageError("release", "Name at least one SERVICE@VERSION");
  }
  if (values.apply && command !== "plan") {
    usageError("release", "--apply goes with 'plan'");
  }
  if (values["k8s-local"] && values.service) {
    usageError(
      "release",
      "--k8s-local and --service ask different systems: give one",
    );
  }
  return { command, named, values };
}

function printSteps(
  steps: Step[],
  unchanged: string[],
  target: Target,
  deployments: Record<string, Workload>,
): void {
  console.log(
    steps.length === 0
      ? "Nothing to roll."
      : `Plan: ${steps.length} ${
        steps.length === 1 ? "step" : "steps"
      }, dependencies first`,
  );
  for (const line of unchanged) console.log(`  ${line}`);
  for (const [i, step] of steps.entries()) {
    console.log(`  ${i + 1}. ${stepName(step)} (${step.to.image})`);
    for (const cmd of stepCommands(step, target, deployments[step.service]!)) {
      console.log(`       ${cmd.join(" ")}`);
    }
  }
}

if (import.meta.main) Deno.exit(await release(Deno.args));

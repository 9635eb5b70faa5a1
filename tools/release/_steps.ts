/**
 * The commands of one step: `kubectl set image` and `rollout status` on a
 * cluster, `deno task k8s:local roll` on the local system. The plan prints
 * them and `--apply` runs exactly those.
 *
 * @module
 */

import { loadManifests, ofKind } from "../k8s/load.ts";
import type { Step } from "./_plan.ts";

/** Where the release goes. */
export type Target =
  | { kind: "cluster" }
  | { kind: "k8s:local"; port?: string; secrets?: string };

/** A Deployment's name, namespace, container and manifest image. */
export interface Workload {
  namespace: string;
  container: string;
  image: string;
}

/** Reads each Deployment of `k8s/` by name. */
export async function workloads(
  dir: string,
): Promise<Record<string, Workload>> {
  const { manifests } = await loadManifests(dir);
  return Object.fromEntries(
    ofKind(manifests, "Deployment").map(({ doc }) => {
      const container = doc.spec?.template.spec?.containers[0];
      const workload: Workload = {
        namespace: doc.metadata?.namespace ?? "default",
        container: container?.name ?? "",
        image: container?.image ?? "",
      };
      return [doc.metadata?.name ?? "", workload];
    }),
  );
}

/** The commands of a step, each an argument list. */
export function stepCommands(
  step: Step,
  target: Target,
  workload: Workload,
): string[][] {
  const deployment = `deployment/${step.service}`;
  if (target.kind === "cluster") {
    return [
      [
        "kubectl",
        "-n",
        workload.namespace,
        "set",
        "image",
        deployment,
        `${workload.container}=${step.to.image}`,
      ],
      [
        "kubectl",
        "-n",
        workload.namespace,
        "rollout",
        "status",
        deployment,
        "--timeout=10m",
      ],
    ];
  }
  return [[
    "deno",
    "task",
    "k8s:local",
    "roll",
    step.service,
    "--image",
    `${workload.image}=${step.to.image}`,
    ...(target.port ? ["--port", target.port] : []),
    ...(target.secrets ? ["--secrets", target.secrets] : []),
  ]];
}

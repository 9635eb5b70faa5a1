/**
 * Reading every manifest under a folder, as `kubectl apply --recursive -f`.
 *
 * @module
 */

import { parseAllDocuments } from "yaml";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";

/** Any object of a manifest: its kind and name; the rest is read by kind. */
export interface KubeObject {
  apiVersion?: string;
  kind: string;
  metadata?: IDeployment["metadata"];
}

/** The kinds the tools read, as kubernetes-models declares them. */
export interface Kinds {
  ConfigMap: IConfigMap;
  Deployment: IDeployment;
  Ingress: IIngress;
  NetworkPolicy: INetworkPolicy;
  PodDisruptionBudget: IPodDisruptionBudget;
  Service: IService;
  StatefulSet: IStatefulSet;
}

/** One YAML document of a manifest file. */
export interface Manifest<T extends KubeObject = KubeObject> {
  /** The file, relative to the folder checked. */
  file: string;
  doc: T;
}

async function* yamlFiles(dir: string, prefix = ""): AsyncGenerator<string> {
  const entries = [];
  for await (const entry of Deno.readDir(dir)) entries.push(entry);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) yield* yamlFiles(`${dir}/${entry.name}`, `${path}/`);
    else if (/\.(ya?ml|json)$/.test(entry.name)) yield path;
  }
}

/**
 * Loads every YAML document under a folder.
 *
 * @param dir The folder, e.g. `k8s`.
 * @returns The documents and the problems of files that do not parse.
 * @example Usage
 * ```ts
 * import { loadManifests } from "./load.ts";
 *
 * const { manifests, problems } = await loadManifests("k8s");
 * ```
 */
export async function loadManifests(
  dir: string,
): Promise<{ manifests: Manifest[]; problems: string[] }> {
  const manifests: Manifest[] = [];
  const problems: string[] = [];
  for await (const file of yamlFiles(dir)) {
    const text = await Deno.readTextFile(`${dir}/${file}`);
    // Grafana dashboards and the like are data for a ConfigMap, not manifests.
    if (file.endsWith(".json")) continue;
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) {
        problems.push(`${file}: YAML error: ${document.errors[0]!.message}`);
        continue;
      }
      const doc = document.toJS();
      if (doc === null || doc === undefined) continue;
      if (typeof doc !== "object" || !doc.kind) {
        problems.push(`${file}: not a Kubernetes object (no 'kind')`);
        continue;
      }
      manifests.push({ file, doc });
    }
  }
  return { manifests, problems };
}

/**
 * The manifests of some kinds, in order, typed as those kinds. Their fields
 * are as written: `k8s:check` validates them against the schema separately.
 *
 * @param manifests Every manifest.
 * @param kinds The kinds, e.g. `Deployment`.
 * @returns Those of those kinds, in order.
 * @example Usage
 * ```ts
 * import { loadManifests, ofKind } from "./load.ts";
 *
 * const { manifests } = await loadManifests("k8s");
 * ofKind(manifests, "Deployment", "StatefulSet").map((m) => m.doc.spec?.replicas);
 * ```
 */
export function ofKind<K extends keyof Kinds>(
  manifests: readonly Manifest[],
  ...kinds: K[]
): Manifest<Kinds[K]>[] {
  const wanted: string[] = kinds;
  return manifests.filter((m): m is Manifest<Kinds[K]> =>
    wanted.includes(m.doc.kind)
  );
}

/**
 * Names a manifest in messages: `file: Kind/name`.
 *
 * @param m The manifest.
 * @returns The label.
 * @example Usage
 * ```ts
 * import { label } from "./load.ts";
 *
 * label({ file: "users/deployment.yaml", doc: { kind: "Deployment", metadata: { name: "users" } } });
 * ```
 */
export function label(m: Manifest): string {
  return `${m.file}: ${m.doc.kind}/${m.doc.metadata?.name ?? "?"}`;
}

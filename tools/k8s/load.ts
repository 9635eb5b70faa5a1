/**
 * Reading every manifest under a folder, as `kubectl apply --recursive -f`.
 *
 * @module
 */

import { parseAllDocuments } from "yaml";

/** One YAML document of a manifest file. */
export interface Manifest {
  /** The file, relative to the folder checked. */
  file: string;
  // deno-lint-ignore no-explicit-any
  doc: Record<string, any>;
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

/**
 * `deno task k8s:check [DIR] [--fix]`: validates the manifests offline
 * against the Kubernetes schema and the services' config contract. `--fix`
 * first updates the config checksum annotations.
 *
 * @module
 */

import "./_quiet_deprecations.ts";
import { parseCli, type Usage } from "../cli.ts";
import {
  checkManifests,
  CHECKSUM_ANNOTATION,
  configChecksum,
  loadManifests,
  ofKind,
} from "./mod.ts";
import { ROOT as root } from "../root.ts";

async function fixChecksums(dir: string): Promise<void> {
  const { manifests } = await loadManifests(dir);
  const data = Object.assign(
    {},
    ...ofKind(manifests, "ConfigMap").filter((m) =>
      m.doc.metadata?.name === "shared-config"
    ).map((m) => m.doc.data ?? {}),
  );
  const checksum = await configChecksum(data);
  const files = new Set(
    ofKind(manifests, "Deployment").filter((m) =>
      m.doc.spec?.template?.metadata?.annotations?.[CHECKSUM_ANNOTATION] !==
        undefined
    ).map((m) => m.file),
  );
  for (const file of files) {
    const path = `${dir}/${file}`;
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(
      path,
      text.replace(/(checksum\/shared-config: )"[^"]*"/g, `$1"${checksum}"`),
    );
  }
}

if (import.meta.main) {
  const usage: Usage = {
    task: "k8s:check",
    synopsis: "[DIR] [--fix]",
    summary:
      "Validates the manifests offline against the Kubernetes schema, the services'\nconfig contract and the network policies.",
    options: [
      ["DIR", "the manifests' folder (default: k8s)"],
      ["--fix", "first update the config checksum annotations"],
    ],
    example: "deno task k8s:check --fix",
  };
  const { values, positionals } = parseCli(usage, {
    args: Deno.args,
    allowPositionals: true,
    options: { fix: { type: "boolean", default: false } },
  });
  const dir = positionals[0] ?? `${root}/k8s`;
  if (values.fix) await fixChecksums(dir);
  const problems = await checkManifests(dir, root);
  for (const problem of problems) console.error(problem);
  console.log(
    problems.length === 0
      ? `k8s: ${dir} is valid`
      : `k8s: ${problems.length} problem(s)`,
  );
  Deno.exit(problems.length === 0 ? 0 : 1);
}

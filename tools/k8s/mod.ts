/**
 * Offline checks of the Kubernetes manifests: schema, config contract and
 * network policies.
 *
 * @module
 */

import { checkContract, serviceContracts } from "./_contract.ts";
import { loadManifests } from "./load.ts";
import { checkNetworkPolicies } from "../stand_ins/network_policies.ts";
import { validateSchema } from "./_schema.ts";

export { CHECKSUM_ANNOTATION, configChecksum } from "./_checksum.ts";
export { loadManifests, ofKind } from "./load.ts";

/**
 * Runs every check on a folder of manifests.
 *
 * @param dir The manifests folder.
 * @param root The repository root, for the services' contracts.
 * @returns The problems; none when the manifests are good.
 * @example Usage
 * ```ts
 * import { checkManifests } from "./mod.ts";
 *
 * const problems = await checkManifests("k8s", ".");
 * ```
 */
export async function checkManifests(
  dir: string,
  root: string,
): Promise<string[]> {
  const { manifests, problems } = await loadManifests(dir);
  for (const m of manifests) problems.push(...validateSchema(m));
  const contracts = await serviceContracts(root);
  problems.push(...await checkContract(manifests, contracts));
  problems.push(
    ...checkNetworkPolicies(
      manifests,
      Object.fromEntries(
        contracts.map((c) => [c.image, Object.keys(c.variables)]),
      ),
    ),
  );
  return problems;
}

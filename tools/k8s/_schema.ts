/**
 * Validation against the Kubernetes OpenAPI schemas (npm `kubernetes-models`),
 * plus what they let through: fields the schema does not define, i.e. typos.
 *
 * @module
 */

import { validate as ConfigMap } from "kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap";
import { validate as Namespace } from "kubernetes-models/_schemas/IoK8sApiCoreV1Namespace";
import { validate as Service } from "kubernetes-models/_schemas/IoK8sApiCoreV1Service";
import { validate as ServiceAccount } from "kubernetes-models/_schemas/IoK8sApiCoreV1ServiceAccount";
import { validate as Deployment } from "kubernetes-models/_schemas/IoK8sApiAppsV1Deployment";
import { validate as StatefulSet } from "kubernetes-models/_schemas/IoK8sApiAppsV1StatefulSet";
import { validate as Ingress } from "kubernetes-models/_schemas/IoK8sApiNetworkingV1Ingress";
import { validate as NetworkPolicy } from "kubernetes-models/_schemas/IoK8sApiNetworkingV1NetworkPolicy";
import { validate as PodDisruptionBudget } from "kubernetes-models/_schemas/IoK8sApiPolicyV1PodDisruptionBudget";
import { validate as ClusterRole } from "kubernetes-models/_schemas/IoK8sApiRbacV1ClusterRole";
import { validate as ClusterRoleBinding } from "kubernetes-models/_schemas/IoK8sApiRbacV1ClusterRoleBinding";
import { label, type Manifest } from "./load.ts";

type Validator = ((data: unknown) => boolean) & {
  errors?: {
    instancePath: string;
    message?: string;
    keyword: string;
    params: unknown;
  }[] | null;
};

const VALIDATORS: Record<string, Validator> = {
  "v1/ConfigMap": ConfigMap,
  "v1/Namespace": Namespace,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "networking.k8s.io/v1/Ingress": Ingress,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
};

interface Tracked {
  proxy: object;
  path: string;
  value: object;
  read: Set<string>;
  /** The schema enumerated its keys: a map (labels, data), open to any key. */
  enumerated: boolean;
}

// The compiled validators read each property the schema defines; a property
// never read is one the schema does not know.
function watch(
  value: unknown,
  path: string,
  seen: Map<object, Tracked>,
): unknown {
  if (value === null || typeof value !== "object") return value;
  const known = seen.get(value);
  if (known) return known.proxy;
  const tracked: Tracked = {
    proxy: {},
    path,
    value,
    read: new Set(),
    enumerated: false,
  };
  tracked.proxy = new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "string") tracked.read.add(key);
      const child = Reflect.get(target, key, receiver);
      return typeof key === "string" && Object.hasOwn(target, key)
        ? watch(child, `${path}/${key}`, seen)
        : child;
    },
    has(target, key) {
      if (typeof key === "string") tracked.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      tracked.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
  seen.set(value, tracked);
  return tracked.proxy;
}

/**
 * Validates one manifest against the schema of its kind, and reports fields
 * the schema does not define.
 */
export function validateSchema(manifest: Manifest): string[] {
  const where = label(manifest);
  const key = `${manifest.doc.apiVersion}/${manifest.doc.kind}`;
  const validate = VALIDATORS[key];
  if (!validate) return [`${where}: unsupported kind '${key}'`];
  const seen = new Map<object, Tracked>();
  const problems: string[] = [];
  if (!validate(watch(manifest.doc, "", seen))) {
    for (const error of validate.errors ?? []) {
      problems.push(
        `${where}: schema: ${error.instancePath || "/"} ${error.keyword} ${
          JSON.stringify(error.params)
        }`,
      );
    }
  }
  for (const tracked of seen.values()) {
    if (tracked.enumerated || Array.isArray(tracked.value)) continue;
    for (const field of Object.keys(tracked.value)) {
      if (!tracked.read.has(field)) {
        problems.push(`${where}: unknown field '${tracked.path}/${field}'`);
      }
    }
  }
  return problems;
}

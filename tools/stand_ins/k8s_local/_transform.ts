/**
 * The manifests of `k8s/` as pods for `podman kube play`, which runs Pods
 * and ConfigMaps but not Services, replicas, StatefulSets, Secret volumes or
 * probes. Each replica becomes a Pod of its own; a Service becomes a network
 * alias of the pods it selects; a Secret volume becomes a host folder of the
 * Secret's files; a volume claim template becomes a named volume.
 *
 * @module
 */

import { stringify } from "yaml";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import type { IService } from "kubernetes-models/v1/Service";
import { type Manifest, ofKind } from "../../k8s/load.ts";

/** How to run the manifests on this machine. */
export interface LocalOptions {
  /** Where the pods' Secret folders go, one per pod and volume. */
  stateDir: string;
  /** The Secret's files on this host by key (those `deno task secrets` writes). */
  secretFiles: Record<string, string>;
  /** Images to run instead of those named, e.g. the offline PostgreSQL. */
  images?: Record<string, string>;
  /** A host port on 127.0.0.1 for the first replica of a workload. */
  hostPorts?: Record<string, number>;
}

/** A Secret volume's files: `files` maps a file in `dir` to the Secret's file. */
export interface SecretFolder {
  dir: string;
  files: Record<string, string>;
  /** Whether a missing file is allowed (the volume is `optional`). */
  optional: boolean;
}

/** How to tell that a pod is ready, from its readiness probe. */
export type Readiness =
  | { kind: "http"; path: string; port: number }
  | { kind: "tcp"; port: number };

/** One pod to play. */
export interface LocalPod {
  name: string;
  /** The Deployment or StatefulSet it is a replica of. */
  workload: string;
  /** A hash of the pod template, as Kubernetes names ReplicaSets. */
  revision: string;
  /** The Services that select it: its names on the network. */
  aliases: string[];
  /** The ConfigMaps and the Pod, for `podman kube play`. */
  yaml: string;
  secretFolders: SecretFolder[];
  /** Named volumes podman makes for it: claims and ConfigMaps. */
  volumes: string[];
  /** Its `runAsUser`, who must read its Secret folders. */
  uid: number;
  /** Its `terminationGracePeriodSeconds`. */
  graceSeconds: number;
  readiness: Readiness;
  /** The images its containers run. */
  images: string[];
  /** Its port on 127.0.0.1, when it has one. */
  hostPort?: number;
}

/** What {@linkcode localPods} makes of the manifests. */
export interface LocalPlan {
  pods: LocalPod[];
  /** Objects not played, one line per kind with why. */
  skipped: string[];
}

/** The label every pod of `k8s:local` carries, for `down`. */
export const LOCAL_LABEL = "thoughts-local";

type Workload = IDeployment | IStatefulSet;

const WHY: Record<string, string> = {
  Namespace: "podman has no namespaces",
  Service: "each is a network alias of the pods it selects",
  Ingress: "no ingress controller; the frontend has a host port",
  PodDisruptionBudget: "nothing evicts pods here",
  NetworkPolicy: "podman's network does not enforce them",
};

/** The pods of Deployments and StatefulSets, in the order of the manifests. */
export function localPods(
  manifests: readonly Manifest[],
  options: LocalOptions,
): LocalPlan {
  const services = ofKind(manifests, "Service").map((m) => m.doc);
  const workloads: Workload[] = ofKind(manifests, "Deployment", "StatefulSet")
    .map((m) => m.doc);
  const configMaps = ofKind(manifests, "ConfigMap").map((m) =>
    rewriteUrls(m.doc, services, workloads)
  );
  const skipped = Object.entries(WHY).flatMap(([kind, why]) => {
    const names = manifests.filter((m) => m.doc.kind === kind).map((m) =>
      m.doc.metadata?.name
    );
    return names.length > 0 ? [`${kind} ${names.join(", ")}: ${why}`] : [];
  });
  const pods: LocalPod[] = [];
  for (const w of workloads) {
    const template = structuredClone(w.spec!.template);
    for (const c of template.spec?.containers ?? []) {
      c.image = options.images?.[c.image ?? ""] ?? c.image;
    }
    const revision = hash(JSON.stringify(template));
    const workload = w.metadata?.name ?? "";
    for (let i = 0; i < (w.spec?.replicas ?? 1); i++) {
      const name = w.kind === "StatefulSet"
        ? `${workload}-${i}`
        : `${workload}-${revision}-${i}`;
      const hostPort = i === 0 ? options.hostPorts?.[workload] : undefined;
      pods.push(
        pod(
          w,
          structuredClone(template),
          name,
          revision,
          hostPort,
          services,
          configMaps,
          options,
        ),
      );
    }
  }
  return { pods, skipped };
}

function pod(
  w: Workload,
  template: IPodTemplateSpec,
  name: string,
  revision: string,
  hostPort: number | undefined,
  services: IService[],
  configMaps: IConfigMap[],
  options: LocalOptions,
): LocalPod {
  const spec = template.spec!;
  const { secretFolders, volumes } = localVolumes(w, spec, name, options);
  const main = spec.containers[0]!;
  const readiness = probeReadiness(main);
  for (const c of spec.containers) {
    delete c.readinessProbe;
    delete c.livenessProbe;
    delete c.startupProbe;
  }
  // podman 4.3 publishes a containerPort without hostPort on every host
  // address: only the port asked for is kept, on 127.0.0.1.
  for (const c of spec.containers) delete c.ports;
  if (hostPort !== undefined) {
    main.ports = [{
      containerPort: readiness.port,
      hostPort,
      hostIP: "127.0.0.1",
    }];
  }
  const labels = template.metadata?.labels ?? {};
  const aliases = services.filter((s) =>
    Object.entries(s.spec?.selector ?? {}).every(([k, v]) => labels[k] === v)
  ).map((s) => s.metadata?.name ?? "");
  const doc = podDoc(name, template, spec);
  const yaml = [...configMaps, doc].map((d) => stringify(d)).join("---\n");
  return {
    name,
    workload: w.metadata?.name ?? "",
    revision,
    aliases,
    yaml,
    secretFolders,
    volumes,
    readiness,
    uid: spec.securityContext?.runAsUser ?? 0,
    graceSeconds: spec.terminationGracePeriodSeconds ?? 30,
    images: spec.containers.map((c) => c.image ?? ""),
    ...(hostPort !== undefined && { hostPort }),
  };
}

// Secret volumes as host folders of their files, claims as named volumes;
// the volumes podman makes, ConfigMaps' included, by name.
function localVolumes(
  w: Workload,
  spec: IPodSpec,
  name: string,
  options: LocalOptions,
): { secretFolders: SecretFolder[]; volumes: string[] } {
  const secretFolders: SecretFolder[] = [];
  const volumes: string[] = [];
  spec.volumes = (spec.volumes ?? []).map((v) => {
    if (v.configMap?.name) volumes.push(v.configMap.name);
    if (!v.secret) return v;
    const dir = `${options.stateDir}/${name}/${v.name}`;
    const items = v.secret.items ??
      Object.keys(options.secretFiles).map((key) => ({ key, path: key }));
    secretFolders.push({
      dir,
      files: Object.fromEntries(
        items.map((
          item,
        ) => [item.path, options.secretFiles[item.key] ?? item.key]),
      ),
      optional: v.secret.optional === true,
    });
    return { name: v.name, hostPath: { path: dir, type: "Directory" } };
  });
  const claims = w.kind === "StatefulSet" ? w.spec?.volumeClaimTemplates : [];
  for (const claim of claims ?? []) {
    const claimName = `${claim.metadata?.name}-${name}`;
    volumes.push(claimName);
    spec.volumes.push({
      name: claim.metadata?.name ?? "",
      persistentVolumeClaim: { claimName },
    });
  }
  return { secretFolders, volumes };
}

// The Pod podman plays, with the label `down` finds it by.
function podDoc(name: string, template: IPodTemplateSpec, spec: IPodSpec) {
  const labels = template.metadata?.labels ?? {};
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      labels: { ...labels, [LOCAL_LABEL]: "true" },
      // podman 4.3 refuses annotation values over 63 characters (a
      // label's limit), such as the config checksum that rolls pods.
      annotations: Object.fromEntries(
        Object.entries(template.metadata?.annotations ?? {}).filter(([, v]) =>
          v.length <= 63
        ),
      ),
    },
    spec,
  };
}

function probeReadiness(container: IContainer): Readiness {
  const probe = container.readinessProbe;
  const port = (p: string | number) =>
    typeof p === "number"
      ? p
      : container.ports?.find((x) => x.name === p)?.containerPort ?? 0;
  if (probe?.httpGet) {
    return {
      kind: "http",
      path: probe.httpGet.path ?? "/",
      port: port(probe.httpGet.port),
    };
  }
  return { kind: "tcp", port: container.ports?.[0]?.containerPort ?? 0 };
}

// A Service's port is not a pod's: `http://users-service` (port 80) becomes
// `http://users-service:8000`, the port the selected pods listen on.
function rewriteUrls(
  configMap: IConfigMap,
  services: IService[],
  workloads: Workload[],
): IConfigMap {
  const data = { ...configMap.data };
  for (const [key, value] of Object.entries(data)) {
    const m = /^(https?:\/\/)([a-z0-9-]+)(\/.*)?$/.exec(value);
    const service = m && services.find((s) => s.metadata?.name === m[2]);
    if (!m || !service) continue;
    const target = service.spec?.ports?.[0]?.targetPort;
    const workload = workloads.find((w) =>
      Object.entries(service.spec?.selector ?? {}).every(([k, v]) =>
        w.spec?.template.metadata?.labels?.[k] === v
      )
    );
    const port = typeof target === "number"
      ? target
      : workload?.spec?.template.spec?.containers[0]?.ports?.find((p) =>
        p.name === target
      )?.containerPort;
    if (port) data[key] = `${m[1]}${m[2]}:${port}${m[3] ?? ""}`;
  }
  return { ...configMap, metadata: { name: configMap.metadata?.name }, data };
}

// FNV-1a, 32 bits, as hex: a short stable name part, not a security check.
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

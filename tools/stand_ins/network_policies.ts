/**
 * The NetworkPolicy check: the calls the manifests say each pod makes
 * (backend URLs and database hosts in its configuration, Ingress backends,
 * Prometheus scrapes, DNS), and whether the policies allow each of them and
 * nothing else between the pods, from the ingress controller, or out of the
 * cluster.
 *
 * Delete when a cluster with a policy-enforcing CNI is reachable: probe the
 * calls from pods instead.
 *
 * @module
 */

import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IService } from "kubernetes-models/v1/Service";
import { type Manifest, ofKind } from "../k8s/load.ts";
import { allowed, type Endpoint } from "./_policy.ts";

export type { Endpoint } from "./_policy.ts";

/** One connection a pod needs, and why. */
export interface Call {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol: "TCP" | "UDP";
  why: string;
}

const NAME = "kubernetes.io/metadata.name";
/** Where the ingress controller is assumed to run. */
export const INGRESS_CONTROLLER: Endpoint = {
  name: "the ingress controller",
  namespace: { [NAME]: "ingress-nginx" },
  pod: { "app.kubernetes.io/name": "ingress-nginx" },
  ports: {},
};
const KUBE_DNS: Endpoint = {
  name: "kube-dns",
  namespace: { [NAME]: "kube-system" },
  pod: { "k8s-app": "kube-dns" },
  ports: {},
};
const OUTSIDE: Endpoint = {
  name: "an address outside the cluster",
  namespace: {},
  ports: {},
};

type Workload = Endpoint & { doc: IDeployment | IStatefulSet };

function workloads(manifests: Manifest[]): Workload[] {
  return ofKind(manifests, "Deployment", "StatefulSet").map(({ doc }) => ({
    doc,
    name: doc.metadata?.name ?? "",
    namespace: { [NAME]: doc.metadata?.namespace ?? "default" },
    pod: doc.spec?.template.metadata?.labels ?? {},
    ports: Object.fromEntries(
      (doc.spec?.template.spec?.containers ?? []).flatMap((c) =>
        (c.ports ?? []).map((p) => [p.name ?? "", p.containerPort])
      ),
    ),
  }));
}

// The calls the manifests describe. `variables`: what a pod's code reads,
// by its image (without tag); a pod not listed reads everything it is given.
function expectedCalls(
  manifests: Manifest[],
  variables: Record<string, string[]> = {},
): Call[] {
  const pods = workloads(manifests);
  const configMaps = new Map(
    ofKind(manifests, "ConfigMap").map((m) => [
      m.doc.metadata?.name ?? "",
      m.doc.data ?? {},
    ]),
  );
  const services = new Map(
    ofKind(manifests, "Service").map((
      m,
    ) => [m.doc.metadata?.name ?? "", m.doc]),
  );
  const calls: Call[] = [];
  const call = (from: Endpoint, service: string, why: string, port?: number) =>
    calls.push(
      ...targets(services, pods, service, port).map((t) => ({
        from,
        ...t,
        protocol: "TCP" as const,
        why,
      })),
    );
  for (const pod of pods) {
    calls.push(
      ...(["UDP", "TCP"] as const).map((protocol) => ({
        from: pod,
        to: KUBE_DNS,
        port: 53,
        protocol,
        why: "name lookups",
      })),
    );
    const reads = (pod.doc.spec?.template.spec?.containers ?? []).flatMap((c) =>
      variables[String(c.image).split(":")[0]!] ?? []
    );
    const { backends, texts } = configured(
      configuration(pod, configMaps),
      reads,
      services,
    );
    for (const [service, why, port] of backends) call(pod, service, why, port);
    if (texts.some((t) => t.includes("kubernetes_sd_configs"))) {
      calls.push(...scrapes(pod, pods));
    }
  }
  for (const [service, why, port] of ingressBackends(manifests, services)) {
    call(INGRESS_CONTROLLER, service, why, port);
  }
  return calls;
}

type Backend = [service: string, why: string, port: number | undefined];

// The Services a pod's configuration names: NAME_HOST with NAME_PORT, and
// URLs (port 80 unless named) in the variables its code reads and in its
// mounted files; and those texts, for what else they configure.
function configured(
  { env, texts: files }: { env: Record<string, string>; texts: string[] },
  reads: string[],
  services: Map<string, IService>,
): { backends: Backend[]; texts: string[] } {
  const backends: Backend[] = [];
  const texts = [...files];
  for (const [name, value] of Object.entries(env)) {
    // The shared ConfigMap gives every pod every name; a pod calls only
    // what its code reads.
    if (reads.length > 0 && !reads.includes(name)) continue;
    const port = name.endsWith("_HOST") &&
      Number(env[name.replace(/_HOST$/, "_PORT")]);
    if (port) backends.push([value, `${name}=${value}`, port]);
    texts.push(value);
  }
  for (const text of texts) {
    for (
      const [url, host, port] of text.matchAll(
        /https?:\/\/([a-z0-9.-]+)(?::(\d+))?/g,
      )
    ) {
      if (services.has(host!.split(".")[0]!)) {
        backends.push([host!, url, port ? Number(port) : 80]);
      }
    }
  }
  return { backends, texts };
}

// Each Ingress path's Service, why it is called, and the Service port.
function ingressBackends(
  manifests: Manifest[],
  services: Map<string, IService>,
): Backend[] {
  return ofKind(manifests, "Ingress").flatMap((m) =>
    (m.doc.spec?.rules ?? []).flatMap((rule) => rule.http?.paths ?? [])
      .flatMap(({ backend: { service } }) => {
        if (!service) return [];
        const named = services.get(service.name)?.spec?.ports?.find((p) =>
          p.name === service.port?.name
        );
        const port = service.port?.number ?? named?.port;
        const backend: Backend = [
          service.name,
          `Ingress ${m.doc.metadata?.name}`,
          port,
        ];
        return [backend];
      })
  );
}

// A Service's pods and the container port a Service port leads to.
function targets(
  services: Map<string, IService>,
  pods: Workload[],
  service: string,
  port?: number,
): { to: Workload; port: number }[] {
  const svc = services.get(service.split(".")[0]!);
  const sp = (svc?.spec?.ports ?? []).find((p) =>
    port === undefined || p.port === port
  );
  if (!svc || !sp) return [];
  return pods.filter((p) =>
    Object.entries(svc.spec?.selector ?? {}).every(([k, v]) => p.pod![k] === v)
  ).map((to) => ({
    to,
    port: typeof sp.targetPort === "string"
      ? to.ports[sp.targetPort]!
      : sp.targetPort ?? sp.port,
  }));
}

// A pod's variables, as its containers get them, and the texts of the
// ConfigMaps it mounts as files (a Prometheus configuration, say).
function configuration(
  pod: Workload,
  configMaps: Map<string, Record<string, string>>,
): { env: Record<string, string>; texts: string[] } {
  const spec = pod.doc.spec?.template.spec;
  const env: Record<string, string> = {};
  for (const c of spec?.containers ?? []) {
    for (const s of c.envFrom ?? []) {
      Object.assign(env, configMaps.get(s.configMapRef?.name ?? "") ?? {});
    }
    for (const v of c.env ?? []) {
      const ref = v.valueFrom?.configMapKeyRef;
      env[v.name] = ref
        ? configMaps.get(ref.name ?? "")?.[ref.key] ?? ""
        : String(v.value ?? "");
    }
  }
  const texts = (spec?.volumes ?? []).flatMap((v) =>
    Object.values(configMaps.get(v.configMap?.name ?? "") ?? {})
  );
  return { env, texts };
}

// What a Prometheus pod calls: the pods its annotations invite, and the
// Kubernetes API to discover them.
function scrapes(from: Workload, pods: Workload[]): Call[] {
  const calls: Call[] = [];
  for (const target of pods) {
    const notes = target.doc.spec?.template.metadata?.annotations ?? {};
    if (notes["prometheus.io/scrape"] !== "true") continue;
    calls.push({
      from,
      to: target,
      port: Number(notes["prometheus.io/port"]),
      protocol: "TCP",
      why: "its scrape annotations",
    });
  }
  for (const port of [443, 6443]) {
    calls.push({
      from,
      to: OUTSIDE,
      port,
      protocol: "TCP",
      why: "pod discovery through the Kubernetes API",
    });
  }
  return calls;
}

const describe = (c: Omit<Call, "why">) =>
  `${c.from.name} → ${c.to.name} port ${c.port}/${c.protocol}`;

/**
 * Checks the NetworkPolicies: a default deny, every expected call allowed,
 * and no other connection between the pods, from the ingress controller or
 * out of the cluster.
 *
 * @param manifests Every manifest.
 * @param variables The variables a pod's code reads, by its image.
 * @returns Problems, one per call blocked or connection allowed.
 * @example Usage
 * ```ts
 * import { loadManifests } from "../k8s/load.ts";
 * import { checkNetworkPolicies } from "./network_policies.ts";
 *
 * const { manifests } = await loadManifests("k8s");
 * checkNetworkPolicies(manifests); // []
 * ```
 */
export function checkNetworkPolicies(
  manifests: Manifest[],
  variables: Record<string, string[]> = {},
): string[] {
  const policies = ofKind(manifests, "NetworkPolicy").map((m) => m.doc);
  const problems: string[] = [];
  if (
    !policies.some((p) =>
      Object.keys(p.spec?.podSelector ?? {}).length === 0 &&
      (["Ingress", "Egress"] as const).every((t) =>
        p.spec?.policyTypes?.includes(t)
      ) &&
      !p.spec?.ingress && !p.spec?.egress
    )
  ) {
    problems.push(
      "k8s: no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)",
    );
  }
  const calls = expectedCalls(manifests, variables);
  for (const c of calls) {
    if (!allowed(policies, c)) {
      problems.push(`k8s: NetworkPolicies block ${describe(c)} (${c.why})`);
    }
  }
  const probes = everyConnection(workloads(manifests));
  for (const probe of probes) {
    const expected = calls.some((c) =>
      c.from.name === probe.from.name && c.to.name === probe.to.name &&
      c.port === probe.port && c.protocol === probe.protocol
    );
    if (!expected && allowed(policies, probe)) {
      problems.push(
        `k8s: NetworkPolicies allow ${
          describe(probe)
        }, which no manifest calls`,
      );
    }
  }
  return problems;
}

// Every connection a pod could try: to each pod's ports, from the pods and
// the ingress controller, and out of the cluster.
function everyConnection(pods: Workload[]): Omit<Call, "why">[] {
  return [
    ...[INGRESS_CONTROLLER, ...pods].flatMap((from) =>
      pods.flatMap((to) =>
        Object.values(to.ports).map((port) => ({
          from,
          to,
          port,
          protocol: "TCP" as const,
        }))
      )
    ),
    ...pods.flatMap((from) =>
      [80, 443, 5432].map((port) => ({
        from,
        to: OUTSIDE,
        port,
        protocol: "TCP" as const,
      }))
    ),
  ];
}

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
  return [
    ...ofKind(manifests, "Deployment"),
    ...ofKind(manifests, "StatefulSet"),
  ].map(({ doc }) => ({
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

/**
 * The calls the manifests describe.
 *
 * @param manifests Every manifest.
 * @param variables The variables a pod's code reads, by its image (without
 * tag); a pod not listed reads everything it is given.
 * @returns The calls, each with its reason.
 * @example Usage
 * ```ts
 * import { loadManifests } from "../k8s/load.ts";
 * import { expectedCalls } from "./network_policies.ts";
 *
 * const { manifests } = await loadManifests("k8s");
 * expectedCalls(manifests).some((c) => c.from.name === "frontend" && c.to.name === "users"); // true
 * ```
 */
export function expectedCalls(
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
  // A Service's pods and the container port a Service port leads to.
  const targets = (service: string, port?: number) => {
    const svc = services.get(service.split(".")[0]!);
    if (!svc) return [];
    const sp = (svc.spec?.ports ?? []).find((p) =>
      port === undefined || p.port === port
    );
    if (!sp) return [];
    return pods.filter((p) =>
      Object.entries(svc.spec?.selector ?? {}).every(([k, v]) =>
        p.pod![k] === v
      )
    ).map((to) => ({
      to,
      port: typeof sp.targetPort === "string"
        ? to.ports[sp.targetPort]!
        : sp.targetPort ?? sp.port,
    }));
  };
  const calls: Call[] = [];
  const call = (from: Endpoint, service: string, why: string, port?: number) =>
    calls.push(
      ...targets(service, port).map((t) => ({
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
    const spec = pod.doc.spec?.template.spec;
    const env: Record<string, string> = {};
    const texts: string[] = [];
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
    for (const v of spec?.volumes ?? []) {
      texts.push(
        ...Object.values(configMaps.get(v.configMap?.name ?? "") ?? {}),
      );
    }
    const reads = (spec?.containers ?? []).flatMap((c) =>
      variables[String(c.image).split(":")[0]!] ?? []
    );
    for (const [name, value] of Object.entries(env)) {
      // The shared ConfigMap gives every pod every name; a pod calls only
      // what its code reads.
      if (reads.length > 0 && !reads.includes(name)) continue;
      const port = name.endsWith("_HOST") &&
        Number(env[name.replace(/_HOST$/, "_PORT")]);
      if (port) call(pod, value, `${name}=${value}`, port);
      texts.push(value);
    }
    for (const text of texts) {
      for (
        const [url, host, port] of text.matchAll(
          /https?:\/\/([a-z0-9.-]+)(?::(\d+))?/g,
        )
      ) {
        if (services.has(host!.split(".")[0]!)) {
          call(pod, host!, url, port ? Number(port) : 80);
        }
      }
    }
    if (texts.some((t) => t.includes("kubernetes_sd_configs"))) {
      for (const target of pods) {
        const notes = target.doc.spec?.template.metadata?.annotations ?? {};
        if (notes["prometheus.io/scrape"] !== "true") continue;
        calls.push({
          from: pod,
          to: target,
          port: Number(notes["prometheus.io/port"]),
          protocol: "TCP",
          why: "its scrape annotations",
        });
      }
      for (const port of [443, 6443]) {
        calls.push({
          from: pod,
          to: OUTSIDE,
          port,
          protocol: "TCP",
          why: "pod discovery through the Kubernetes API",
        });
      }
    }
  }
  for (const m of ofKind(manifests, "Ingress")) {
    for (const rule of m.doc.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend.service;
        if (!backend) continue;
        const svc = services.get(backend.name);
        const port = backend.port?.number ??
          (svc?.spec?.ports ?? []).find((p) => p.name === backend.port?.name)
            ?.port;
        call(
          INGRESS_CONTROLLER,
          backend.name,
          `Ingress ${m.doc.metadata?.name}`,
          port,
        );
      }
    }
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
  const pods = workloads(manifests);
  const probes: Omit<Call, "why">[] = [
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

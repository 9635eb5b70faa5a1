// Evaluates Kubernetes NetworkPolicies for one connection, as the API
// defines them: a pod selected by a policy of a type is isolated for that
// direction, and then only a rule of such a policy lets traffic through.

import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";

type Labels = Record<string, string>;
type Selector = INetworkPolicyPeer["podSelector"];

/** A pod (labels and named ports), or an address outside the cluster (no pod labels). */
export interface Endpoint {
  name: string;
  /** The labels of its namespace; none outside the cluster. */
  namespace: Labels;
  pod?: Labels;
  ports: Record<string, number>;
}

interface Connection {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol: string;
}

function selects(selector: Selector | undefined, labels: Labels): boolean {
  const exact = Object.entries(selector?.matchLabels ?? {}).every(([k, v]) =>
    labels[k] === v
  );
  return exact && (selector?.matchExpressions ?? []).every((e) => {
    const has = e.key in labels;
    switch (e.operator) {
      case "In":
        return has && (e.values ?? []).includes(labels[e.key]!);
      case "NotIn":
        return !has || !(e.values ?? []).includes(labels[e.key]!);
      case "Exists":
        return has;
      default:
        return !has;
    }
  });
}

function peerMatches(
  peer: INetworkPolicyPeer,
  policyNs: string,
  e: Endpoint,
): boolean {
  // Rules here name outside addresses only as 0.0.0.0/0, or not at all.
  if (peer.ipBlock) return e.pod === undefined;
  if (e.pod === undefined) return false;
  const ns = peer.namespaceSelector
    ? selects(peer.namespaceSelector, e.namespace)
    : e.namespace["kubernetes.io/metadata.name"] === policyNs;
  return ns && (!peer.podSelector || selects(peer.podSelector, e.pod));
}

function portMatches(
  ports: INetworkPolicyPort[] | undefined,
  c: Connection,
): boolean {
  if (!ports?.length) return true;
  return ports.some((p) =>
    (p.protocol ?? "TCP") === c.protocol &&
    (p.port === undefined ||
      (typeof p.port === "string"
        ? c.to.ports[p.port] === c.port
        : c.port >= p.port && c.port <= (p.endPort ?? p.port)))
  );
}

function side(
  policies: INetworkPolicy[],
  c: Connection,
  direction: "Ingress" | "Egress",
): boolean {
  const self = direction === "Ingress" ? c.to : c.from;
  const other = direction === "Ingress" ? c.from : c.to;
  const ns = self.namespace["kubernetes.io/metadata.name"];
  const applying = policies.filter((p) =>
    self.pod !== undefined && (p.metadata?.namespace ?? ns) === ns &&
    selects(p.spec?.podSelector, self.pod) &&
    (p.spec?.policyTypes ??
      ["Ingress", ...(p.spec?.egress ? ["Egress"] : [])]).includes(direction)
  );
  if (applying.length === 0) return true;
  return applying.some((p) => {
    const rules = direction === "Ingress"
      ? (p.spec?.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }))
      : (p.spec?.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
    return rules.some(({ peers, ports }) =>
      (!peers?.length || peers.some((peer) => peerMatches(peer, ns!, other))) &&
      portMatches(ports, c)
    );
  });
}

/** Whether the policies let the connection through, both ends considered. */
export function allowed(
  policies: INetworkPolicy[],
  c: Connection,
): boolean {
  return side(policies, c, "Egress") && side(policies, c, "Ingress");
}

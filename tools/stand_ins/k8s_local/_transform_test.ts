// The transform on the project's own manifests: what podman is given, parsed.
import { parseAllDocuments } from "yaml";
import type { IPod } from "kubernetes-models/v1/Pod";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { assertEquals, assertOk } from "@thoughts/testing";
import { loadManifests } from "../../k8s/load.ts";
import { LOCAL_LABEL, type LocalPod, localPods } from "./_transform.ts";
import { ROOT } from "../../root.ts";

const k8s = `${ROOT}/k8s`;
const { manifests } = await loadManifests(k8s);
const played = manifests.filter((m) => !m.file.startsWith("monitoring/"));
const files = {
  "postgres-password": "/s/postgres-password",
  "private_key.pem": "/s/private_key.pem",
  "public_key.pub": "/s/public_key.pub",
  "public_key_next.pub": "/s/public_key_next.pub",
  "admin-token": "/s/admin_token",
};
const options = {
  stateDir: "/state",
  secretFiles: files,
  images: { "postgres:15.10": "localhost/thoughts-postgres:15" },
  hostPorts: { frontend: 8080 },
};
const { pods, skipped } = localPods(played, options);

function docs(pod: LocalPod): (IPod | IConfigMap)[] {
  return parseAllDocuments(pod.yaml).map((d) => d.toJS());
}
const podOf = (pod: LocalPod) =>
  docs(pod).find((d): d is IPod => d.kind === "Pod")!;
const specOf = (pod: LocalPod) => podOf(pod).spec!;

Deno.test("each replica is a pod, named by its template's hash", () => {
  const names = pods.map((p) => p.name);
  assertEquals(names.filter((n) => n.startsWith("users-")).length, 2);
  assertEquals(names.filter((n) => n.startsWith("thoughts-")).length, 2);
  assertEquals(names.filter((n) => n.startsWith("frontend-")).length, 2);
  assertOk(names.includes("postgres-0"), names.join());
  const users = pods.filter((p) => p.workload === "users");
  assertOk(/^users-[0-9a-f]{8}-0$/.test(users[0]!.name), users[0]!.name);
  // A new image is a new template: new names, as a new ReplicaSet's.
  const rolled = localPods(played, {
    ...options,
    images: { ...options.images, "users_server:v2.3": "users_server:v2.4" },
  }).pods.filter((p) => p.workload === "users");
  assertOk(rolled[0]!.revision !== users[0]!.revision);
  assertEquals(specOf(rolled[0]!).containers[0]!.image, "users_server:v2.4");
  for (const pod of pods) {
    assertEquals(podOf(pod).metadata?.labels?.[LOCAL_LABEL], "true");
  }
});

Deno.test("Services become the network names of the pods they select", () => {
  const aliases = Object.fromEntries(pods.map((p) => [p.workload, p.aliases]));
  assertEquals(aliases, {
    postgres: ["postgres"],
    users: ["users-service"],
    thoughts: ["thoughts-service"],
    frontend: ["frontend-service"],
  });
  // A Service's port 80 is the pods' 8000: the URLs name the pods' port.
  const config = docs(pods[0]!).find((d): d is IConfigMap =>
    d.metadata?.name === "shared-config"
  )!.data!;
  assertEquals(config.USER_BACKEND_URL, "http://users-service:8000");
  assertEquals(config.THOUGHTS_BACKEND_URL, "http://thoughts-service:8000");
  assertEquals(config.POSTGRES_HOST, "postgres");
});

Deno.test("Secret volumes become folders of only the files each pod mounts", () => {
  const folder = (workload: string) =>
    pods.find((p) => p.workload === workload)!.secretFolders[0]!;
  assertEquals(Object.keys(folder("users").files).sort(), [
    "admin_token",
    "private_key.pem",
    "public_key.pub",
    "public_key_next.pub",
  ]);
  assertEquals(folder("users").files.admin_token, "/s/admin_token");
  // The admin token shows the versions page's details; no private key.
  assertEquals(Object.keys(folder("frontend").files).sort(), [
    "admin_token",
    "public_key.pub",
    "public_key_next.pub",
  ]);
  assertOk(folder("frontend").optional);
  for (const pod of pods) {
    const volumes = specOf(pod).volumes ?? [];
    assertOk(!volumes.some((v) => v.secret), pod.name);
    for (const f of pod.secretFolders) {
      assertOk(f.dir.startsWith(`/state/${pod.name}/`), f.dir);
      assertOk(
        volumes.some((v) => v.hostPath?.path === f.dir),
      );
    }
  }
});

Deno.test("the StatefulSet claims a named volume and runs the local image", () => {
  const pg = pods.find((p) => p.name === "postgres-0")!;
  assertEquals(pg.volumes.sort(), ["data-postgres-0", "postgres-init"]);
  const spec = specOf(pg);
  assertEquals(spec.containers[0]!.image, "localhost/thoughts-postgres:15");
  assertEquals(pg.images, ["localhost/thoughts-postgres:15"]);
  assertOk(
    spec.volumes?.some((v) =>
      v.persistentVolumeClaim?.claimName === "data-postgres-0"
    ),
  );
  assertEquals(pg.uid, 999);
  assertEquals(pg.readiness, { kind: "tcp", port: 5432 });
});

Deno.test("no host port but the first frontend's, on 127.0.0.1; probes are waited for", () => {
  for (const pod of pods) {
    const container = specOf(pod).containers[0]!;
    assertEquals(container.readinessProbe, undefined);
    assertEquals(container.livenessProbe, undefined);
    const expected = pod.name.startsWith("frontend-") && pod.name.endsWith("-0")
      ? [{ containerPort: 8000, hostPort: 8080, hostIP: "127.0.0.1" }]
      : undefined;
    assertEquals(container.ports, expected, pod.name);
    assertEquals(pod.hostPort, expected?.[0]?.hostPort, pod.name);
    if (pod.workload !== "postgres") {
      assertEquals(pod.readiness, {
        kind: "http",
        path: "/readyz",
        port: 8000,
      });
    }
    // podman 4.3 refuses annotation values over 63 characters.
    for (
      const value of Object.values(podOf(pod).metadata?.annotations ?? {})
    ) {
      assertOk(value.length <= 63, value);
    }
  }
});

Deno.test("what is not played is said, one line per kind", () => {
  const kinds = skipped.map((line) => line.split(" ")[0]);
  assertEquals(kinds.sort(), [
    "Ingress",
    "Namespace",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "Service",
  ]);
});

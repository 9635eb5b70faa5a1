import { loadKeySet, readAdminToken } from "@thoughts/shared/auth";
import { memorySecretReader } from "@thoughts/shared/config";
import {
  assertEquals,
  assertOk,
  assertStringIncludes,
  runDeno as run,
} from "@thoughts/testing";
import { parse } from "yaml";
import { parseEnvFile } from "../dev/_env_file.ts";
import { checkManifests } from "./mod.ts";
import { ROOT } from "../root.ts";

async function copyK8s(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "thoughts_k8s_" });
  const out = await new Deno.Command("cp", {
    args: ["-r", `${ROOT}/k8s/.`, dir],
  }).output();
  assertOk(out.success);
  return dir;
}

async function mutate(
  dir: string,
  file: string,
  from: string | RegExp,
  to: string,
): Promise<void> {
  const text = await Deno.readTextFile(`${dir}/${file}`);
  const changed = text.replace(from, to);
  assertOk(changed !== text, `mutation of ${file} did not apply`);
  await Deno.writeTextFile(`${dir}/${file}`, changed);
}

Deno.test("deno task k8s:check passes on the manifests", async () => {
  const result = await run(["task", "-q", "k8s:check"]);
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stdout, "is valid");
});

Deno.test("k8s:check fails on mutated copies, naming the file and the problem", async (t) => {
  const cases: [string, string, string | RegExp, string, string][] = [
    [
      "a missing variable",
      "users/deployment.yaml",
      "            - name: POSTGRES_DB\n              value: users\n",
      "",
      "users/deployment.yaml: Deployment/users: POSTGRES_DB is required by users but not provided",
    ],
    [
      "the private key mounted into thoughts",
      "thoughts/deployment.yaml",
      "              - key: public_key.pub",
      "              - key: private_key.pem\n                path: private_key.pem\n              - key: public_key.pub",
      "thoughts/deployment.yaml: Deployment/thoughts: mounts the private key",
    ],
    [
      "a wrong image tag",
      "users/deployment.yaml",
      "image: users_server:v2.3",
      "image: users_server:v2.2",
      "users/deployment.yaml: Deployment/users: image 'users_server:v2.2' does not match the declared release",
    ],
    [
      "a secret value in the ConfigMap",
      "configuration.yaml",
      "  USER_BACKEND_URL:",
      "  POSTGRES_PASSWORD: hunter2\n  USER_BACKEND_URL:",
      "configuration.yaml: ConfigMap/shared-config: holds a secret value 'POSTGRES_PASSWORD'",
    ],
    [
      "a schema error",
      "frontend/deployment.yaml",
      "replicas: 2",
      "replicas: two",
      "frontend/deployment.yaml: Deployment/frontend: schema: /spec/replicas type",
    ],
    [
      "a typo the schema lets through",
      "thoughts/deployment.yaml",
      "imagePullPolicy:",
      "imagePullPolicyy:",
      "thoughts/deployment.yaml: Deployment/thoughts: unknown field '/spec/template/spec/containers/0/imagePullPolicyy'",
    ],
    [
      "a malformed value",
      "configuration.yaml",
      "DATABASE_ENGINE: POSTGRES",
      "DATABASE_ENGINE: MYSQL",
      "users/deployment.yaml: Deployment/users: DATABASE_ENGINE must be one of 'POSTGRES', 'PGLITE', got 'MYSQL'",
    ],
    [
      "a variable defined twice",
      "thoughts/deployment.yaml",
      "            - name: POSTGRES_DB\n",
      "            - name: POSTGRES_HOST\n              value: elsewhere\n            - name: POSTGRES_DB\n",
      "thoughts/deployment.yaml: Deployment/thoughts: POSTGRES_HOST is defined twice (ConfigMap shared-config and env)",
    ],
    [
      "a ConfigMap change without the checksum",
      "configuration.yaml",
      'POSTGRES_PORT: "5432"',
      'POSTGRES_PORT: "5433"',
      "frontend/deployment.yaml: Deployment/frontend: annotation checksum/shared-config is stale",
    ],
    [
      "a missing readiness probe path",
      "frontend/deployment.yaml",
      "path: /readyz",
      "path: /healthz",
      "frontend/deployment.yaml: Deployment/frontend: readiness probe must be GET /readyz",
    ],
    [
      "the admin token not mounted into the frontend",
      "frontend/deployment.yaml",
      "              - key: admin-token\n                path: admin_token\n",
      "",
      "frontend/deployment.yaml: Deployment/frontend: frontend reads the admin token but does not mount Secret key 'admin-token' as 'admin_token'",
    ],
    [
      "the admin token not mounted into thoughts",
      "thoughts/deployment.yaml",
      "              - key: admin-token\n                path: admin_token\n",
      "",
      "thoughts/deployment.yaml: Deployment/thoughts: thoughts reads the admin token but does not mount Secret key 'admin-token' as 'admin_token'",
    ],
    [
      "no default deny",
      "network_policies.yaml",
      "  policyTypes: [Ingress, Egress]\n---",
      "  policyTypes: [Ingress]\n---",
      "k8s: no default-deny NetworkPolicy",
    ],
    [
      "a call the policies block",
      "network_policies.yaml",
      "        - podSelector:\n            matchLabels:\n              app: thoughts\n",
      "",
      "k8s: NetworkPolicies block frontend → thoughts port 8000/TCP (http://thoughts-service)",
    ],
    [
      "a backend URL the policies do not allow",
      "configuration.yaml",
      "THOUGHTS_BACKEND_URL: http://thoughts-service",
      "THOUGHTS_BACKEND_URL: http://grafana:3000",
      "k8s: NetworkPolicies block frontend → grafana port 3000/TCP (http://grafana:3000)",
    ],
    [
      "an allow-all policy added while debugging",
      "network_policies.yaml",
      /\n$/,
      "\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-all\n  namespace: example\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - {}\n  egress:\n    - {}\n",
      "k8s: NetworkPolicies allow frontend → postgres port 5432/TCP, which no manifest calls",
    ],
    [
      "the ingress controller let into the database",
      "network_policies.yaml",
      "              - { key: app, operator: In, values: [users, thoughts] }\n      ports:\n        - port: postgres\n",
      "              - { key: app, operator: In, values: [users, thoughts] }\n        - namespaceSelector: {}\n      ports:\n        - port: postgres\n",
      "k8s: NetworkPolicies allow the ingress controller → postgres port 5432/TCP, which no manifest calls",
    ],
    [
      "a backend let out of the cluster",
      "network_policies.yaml",
      "              app: postgres\n      ports:\n        - port: postgres\n",
      "              app: postgres\n      ports:\n        - port: postgres\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n      ports:\n        - port: 5432\n",
      "k8s: NetworkPolicies allow users → an address outside the cluster port 5432/TCP, which no manifest calls",
    ],
  ];
  for (const [name, file, from, to, expected] of cases) {
    await t.step(name, async () => {
      const dir = await copyK8s();
      try {
        await mutate(dir, file, from, to);
        const problems = await checkManifests(dir, ROOT);
        assertOk(
          problems.some((p) => p.includes(expected)),
          `expected '${expected}' in:\n${problems.join("\n")}`,
        );
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
  await t.step("the command exits 1 and prints the problem", async () => {
    const dir = await copyK8s();
    try {
      await mutate(
        dir,
        "users/deployment.yaml",
        "image: users_server:v2.3",
        "image: users_server:latest",
      );
      const result = await run(["task", "-q", "k8s:check", dir]);
      assertEquals(result.code, 1);
      assertStringIncludes(
        result.stderr,
        "users/deployment.yaml: Deployment/users: image 'users_server:latest'",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("dev.env mirrors the keys of the shared-config ConfigMap", async () => {
  const configMap = parse(
    await Deno.readTextFile(`${ROOT}/k8s/configuration.yaml`),
  );
  const dev = parseEnvFile(await Deno.readTextFile(`${ROOT}/dev.env`));
  assertEquals(Object.keys(dev).sort(), Object.keys(configMap.data).sort());
});

Deno.test("deno task secrets generates keys, an admin token and a password, printing no secret value", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoughts_secrets_" });
  const out = `${dir}/out`;
  try {
    const result = await run(["task", "-q", "secrets", "--out", out]);
    assertEquals(result.code, 0, result.stderr);
    const files: Record<string, string> = Object.fromEntries(
      await Promise.all(
        [
          "postgres-password",
          "private_key.pem",
          "public_key.pub",
          "admin_token",
        ]
          .map(
            async (f) => {
              assertEquals(
                (await Deno.stat(`${out}/${f}`)).mode! & 0o777,
                0o600,
              );
              return [f, await Deno.readTextFile(`${out}/${f}`)];
            },
          ),
      ),
    );
    assertOk(files["postgres-password"]!.length >= 24);
    assertEquals(
      await readAdminToken(memorySecretReader(files), "production"),
      files["admin_token"]!.trim(),
    );
    assertStringIncludes(
      result.stdout,
      `--from-file=admin-token=${out}/admin_token`,
    );
    assertStringIncludes(
      result.stdout,
      "kubectl create secret generic thoughts-secrets --namespace example",
    );
    assertStringIncludes(
      result.stdout,
      `--from-file=private_key.pem=${out}/private_key.pem`,
    );
    // A whole short value (the password), or a long part of a key.
    const parts = Object.values(files).map((v) => v.trim()).map((v) =>
      v.length > 60 ? v.slice(30, 60) : v
    );
    for (const part of parts) {
      assertOk(!result.stdout.includes(part), "no secret value printed");
    }
    // The pair is fresh, not the test keys, and production accepts it.
    const keys = await loadKeySet({
      reader: memorySecretReader(files),
      appEnv: "production",
      signs: true,
    });
    assertOk(keys.signer);
    const again = await run(["task", "-q", "secrets", "--out", out]);
    assertEquals(again.code, 1);
    assertStringIncludes(again.stderr, "already holds secrets");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

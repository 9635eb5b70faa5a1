/**
 * The config contract between the code and the manifests: every variable a
 * service requires is provided, none twice, no secret in a ConfigMap, the
 * private key only in users, the admin token in every service, image
 * tags at the declared releases, and the production settings every
 * Deployment must have.
 *
 * @module
 */

import {
  ConfigError,
  type Env,
  loadConfig,
  type Variable,
} from "@thoughts/shared/config";
import { frontendVariables } from "@thoughts/frontend/config";
import { thoughtsVariables } from "@thoughts/thoughts/config";
import { usersVariables } from "@thoughts/users/config";
import { SERVICES } from "../build/services.ts";
import { CHECKSUM_ANNOTATION, configChecksum } from "./_checksum.ts";
import { label, type Manifest, ofKind } from "./load.ts";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";

/** What the code of one service expects of its Deployment. */
export interface ServiceContract {
  name: string;
  image: string;
  /** The declared release: the image tag. */
  version: string;
  variables: Record<string, Variable<unknown>>;
  /** Only the signer may see the private key. */
  signs: boolean;
  /** Reads the admin token: admin writes, or the versions page's details. */
  adminToken: boolean;
}

/** The contracts of the three services, from their code and `deno.json`. */
export async function serviceContracts(
  root: string,
): Promise<ServiceContract[]> {
  const variables = {
    users: usersVariables,
    thoughts: thoughtsVariables,
    frontend: frontendVariables,
  };
  return await Promise.all(SERVICES.map(async (s) => ({
    name: s.name,
    image: s.image,
    version: JSON.parse(await Deno.readTextFile(`${root}/${s.name}/deno.json`))
      .version,
    variables: variables[s.name] as Record<string, Variable<unknown>>,
    signs: s.name === "users",
    adminToken: true,
  })));
}

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PRIVATE|(^|_)KEY$/i;
const SECRET_PLACEHOLDER = "secret-from-kubernetes";

/** Checks the manifests against the services' contracts. */
export async function checkContract(
  manifests: Manifest[],
  contracts: ServiceContract[],
): Promise<string[]> {
  const problems: string[] = [];
  const configMaps = new Map(
    ofKind(manifests, "ConfigMap").map((m) => [m.doc.metadata?.name ?? "", m]),
  );
  const secretVariables = new Set(
    contracts.flatMap((c) =>
      Object.entries(c.variables).filter(([, v]) => v.secret).map(([n]) => n)
    ),
  );
  for (const m of configMaps.values()) {
    for (const [key, value] of Object.entries(m.doc.data ?? {})) {
      if (
        secretVariables.has(key) || SECRET_NAME.test(key) ||
        String(value).includes("-----BEGIN")
      ) {
        problems.push(
          `${
            label(m)
          }: holds a secret value '${key}': secrets belong in Secret thoughts-secrets`,
        );
      }
    }
  }
  const deployments = ofKind(manifests, "Deployment");
  for (const contract of contracts) {
    const matching = deployments.filter((m) =>
      (m.doc.spec?.template.spec?.containers ?? []).some((c) =>
        String(c.image).split(":")[0] === contract.image
      )
    );
    if (matching.length !== 1) {
      problems.push(
        `k8s: expected one Deployment running image '${contract.image}', found ${matching.length}`,
      );
      continue;
    }
    problems.push(
      ...await checkDeployment(matching[0]!, contract, configMaps, manifests),
    );
  }
  return problems;
}

async function checkDeployment(
  m: Manifest<IDeployment>,
  contract: ServiceContract,
  configMaps: Map<string, Manifest<IConfigMap>>,
  manifests: Manifest[],
): Promise<string[]> {
  const where = label(m);
  const problems: string[] = [];
  const pod: IPodSpec = m.doc.spec?.template.spec ?? { containers: [] };
  const container = pod.containers.find((c) =>
    c.image?.split(":")[0] === contract.image
  );
  if (!container) return [`${where}: no container of '${contract.image}'`];
  if (container.image !== `${contract.image}:${contract.version}`) {
    problems.push(
      `${where}: image '${container.image}' does not match the declared release: expected '${contract.image}:${contract.version}'`,
    );
  }

  const { env, used, wrong } = environment(
    where,
    container,
    contract,
    configMaps,
  );
  problems.push(...wrong);
  for (const [name, variable] of Object.entries(contract.variables)) {
    if (
      (env[name] === undefined || env[name] === "") &&
      variable.isRequired(env as Env)
    ) {
      problems.push(
        `${where}: ${name} is required by ${contract.name} but not provided`,
      );
    }
  }
  try {
    loadConfig(contract.variables, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const p of error.problems) {
      if (!p.includes("is required")) problems.push(`${where}: ${p}`);
    }
  }

  problems.push(...secretVolumes(where, pod, container, contract, env));
  problems.push(...hygiene(m, container, manifests));
  const expected = await configChecksum(Object.assign({}, ...used));
  const actual = m.doc.spec?.template?.metadata?.annotations
    ?.[CHECKSUM_ANNOTATION];
  if (actual !== expected) {
    problems.push(
      `${where}: annotation ${CHECKSUM_ANNOTATION} is stale (run 'deno task k8s:check --fix')`,
    );
  }
  return problems;
}

// The container's variables as the pod would see them, and the ConfigMaps'
// data it takes whole; a variable defined twice or a secret set inline is a
// problem.
function environment(
  where: string,
  container: IContainer,
  contract: ServiceContract,
  configMaps: Map<string, Manifest<IConfigMap>>,
): {
  env: Record<string, string>;
  used: Record<string, string>[];
  wrong: string[];
} {
  const problems: string[] = [];
  const env: Record<string, string> = {};
  const origin: Record<string, string> = {};
  const define = (name: string, value: string, from: string) => {
    if (name in origin) {
      problems.push(
        `${where}: ${name} is defined twice (${origin[name]} and ${from})`,
      );
    }
    env[name] = value;
    origin[name] = from;
  };
  const used: Record<string, string>[] = [];
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name ?? "";
    const cm = configMaps.get(name);
    if (!cm) {
      problems.push(
        `${where}: envFrom references ConfigMap '${name}', which no manifest defines`,
      );
      continue;
    }
    used.push(cm.doc.data ?? {});
    for (const [key, value] of Object.entries(cm.doc.data ?? {})) {
      define(key, String(value), `ConfigMap ${name}`);
    }
  }
  for (const variable of container.env ?? []) {
    const secretRef = variable.valueFrom?.secretKeyRef;
    const cmRef = variable.valueFrom?.configMapKeyRef;
    const value = secretRef
      ? SECRET_PLACEHOLDER
      : cmRef
      ? String(configMaps.get(cmRef.name ?? "")?.doc.data?.[cmRef.key] ?? "")
      : String(variable.value ?? "");
    define(
      variable.name,
      value,
      secretRef ? `Secret ${secretRef.name}` : "env",
    );
    const declared = contract.variables[variable.name];
    if (declared?.secret && !secretRef) {
      problems.push(
        `${where}: ${variable.name} is a secret and must come from a Secret (secretKeyRef)`,
      );
    }
  }
  return { env, used, wrong: problems };
}

// The key files: the private key only where the contract signs, mounted
// where SECRETS_DIR says, and the admin token wherever it is read.
function secretVolumes(
  where: string,
  pod: IPodSpec,
  container: IContainer,
  contract: ServiceContract,
  env: Record<string, string>,
): string[] {
  const problems: string[] = [];
  const secretsDir = env.SECRETS_DIR ?? "/opt/keys";
  for (const volume of pod.volumes ?? []) {
    if (!volume.secret) continue;
    const keys = volume.secret.items?.map((i) => i.key) ?? ["(every key)"];
    const hasPrivate = keys.includes("private_key.pem") || !volume.secret.items;
    if (hasPrivate && !contract.signs) {
      problems.push(
        `${where}: mounts the private key (Secret ${volume.secret.secretName}: ${
          keys.join(", ")
        }); only users may`,
      );
    }
    const mount = (container.volumeMounts ?? []).find((vm) =>
      vm.name === volume.name
    );
    if (
      mount &&
      mount.mountPath.replace(/\/$/, "") !== secretsDir.replace(/\/$/, "")
    ) {
      problems.push(
        `${where}: keys mounted at '${mount.mountPath}' but SECRETS_DIR is '${secretsDir}'`,
      );
    }
  }
  if (
    contract.signs &&
    !pod.volumes?.some((v) =>
      v.secret?.items?.some((i) => i.key === "private_key.pem")
    )
  ) {
    problems.push(
      `${where}: ${contract.name} signs tokens but does not mount private_key.pem`,
    );
  }

  if (
    contract.adminToken &&
    !pod.volumes?.some((v) =>
      v.secret?.items?.some((i) =>
        i.key === "admin-token" && i.path === "admin_token"
      )
    )
  ) {
    problems.push(
      `${where}: ${contract.name} reads the admin token but does not mount Secret key 'admin-token' as 'admin_token'`,
    );
  }
  return problems;
}

function hygiene(
  m: Manifest<IDeployment>,
  container: IContainer,
  manifests: Manifest[],
): string[] {
  const where = label(m);
  const problems: string[] = [];
  const pod = m.doc.spec?.template.spec;
  const expect = (ok: unknown, what: string) =>
    ok || problems.push(`${where}: ${what}`);
  expect(
    container.readinessProbe?.httpGet?.path === "/readyz",
    "readiness probe must be GET /readyz",
  );
  expect(
    container.livenessProbe?.httpGet?.path === "/healthz",
    "liveness probe must be GET /healthz",
  );
  for (const kind of ["requests", "limits"] as const) {
    expect(
      container.resources?.[kind]?.cpu && container.resources?.[kind]?.memory,
      `resources.${kind} need cpu and memory`,
    );
  }
  expect(
    pod?.securityContext?.runAsNonRoot === true,
    "pod must set runAsNonRoot: true",
  );
  expect(
    container.securityContext?.readOnlyRootFilesystem === true,
    "container needs readOnlyRootFilesystem: true",
  );
  expect(
    container.securityContext?.allowPrivilegeEscalation === false,
    "container needs allowPrivilegeEscalation: false",
  );
  const rolling = m.doc.spec?.strategy?.rollingUpdate;
  expect(
    String(rolling?.maxUnavailable) === "0",
    "rolling update needs maxUnavailable: 0",
  );
  const app = m.doc.spec?.selector.matchLabels?.app;
  expect(
    ofKind(manifests, "PodDisruptionBudget").some((p) =>
      p.doc.spec?.selector?.matchLabels?.app === app
    ),
    `no PodDisruptionBudget selects app '${app}'`,
  );
  return problems;
}

/**
 * Runs the manifests of `k8s/` on this machine with podman, through
 * {@linkcode localPods}: `up`, `roll` and `down`.
 *
 * @module
 */

import { SERVICES } from "../../build/services.ts";
import { LOCAL_POSTGRES } from "../postgres_image.ts";
import { SECRET_FILES } from "../../keys/secrets.ts";
import { loadManifests } from "../../k8s/load.ts";
import { progress } from "../../progress.ts";
import { type LocalPod, localPods } from "./_transform.ts";
import {
  localPodNames,
  NETWORK,
  playPod,
  podman,
  removePod,
  stageSecrets,
  waitReady,
} from "./_podman.ts";
import { ROOT as root } from "../../root.ts";

/** Where `k8s:local` keeps the pods' Secret folders. */
export const STATE_DIR = `${root}/.k8s-local`;

/** The settings of one run. */
export interface LocalSettings {
  /** The folder `deno task secrets` wrote. */
  secretsDir: string;
  /** The frontend's port on 127.0.0.1. */
  port: number;
  /** Images to run instead of those the manifests name. */
  images?: Record<string, string>;
  /** Stops `up` (which then removes what it started) or `roll`. */
  signal?: AbortSignal;
}

// Monitoring's images (Prometheus, Grafana) come from registries this
// machine cannot reach.
async function plan(settings: LocalSettings) {
  const { manifests, problems } = await loadManifests(`${root}/k8s`);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const played = manifests.filter((m) => !m.file.startsWith("monitoring/"));
  const result = localPods(played, {
    stateDir: STATE_DIR,
    secretFiles: Object.fromEntries(
      Object.entries(SECRET_FILES).map((
        [key, file],
      ) => [key, `${settings.secretsDir}/${file}`]),
    ),
    images: { "postgres:15.10": LOCAL_POSTGRES, ...settings.images },
    hostPorts: { frontend: settings.port },
  });
  // Each dependency before what needs it: the database, then users,
  // thoughts and the frontend.
  const rank = (p: LocalPod) =>
    SERVICES.findIndex((s) => s.name === p.workload);
  result.pods.sort((a, b) => rank(a) - rank(b));
  return result;
}

async function missingImages(pods: LocalPod[]): Promise<string[]> {
  const images = new Set(pods.flatMap((p) => p.images));
  const missing = [];
  for (const image of images) {
    const exists = await podman(["image", "exists", image]).then(
      () => true,
      () => false,
    );
    if (!exists) missing.push(image);
  }
  return missing;
}

// The Secret as podman keeps it for `secretKeyRef`: key to base64 value.
async function createSecret(secretsDir: string): Promise<void> {
  const data: Record<string, string> = {};
  for (const [key, file] of Object.entries(SECRET_FILES)) {
    data[key] = (await Deno.readFile(`${secretsDir}/${file}`)).toBase64();
  }
  await podman(["secret", "rm", "thoughts-secrets"]).catch(() => {});
  await podman(
    ["secret", "create", "thoughts-secrets", "-"],
    JSON.stringify(data),
  );
}

async function start(
  pod: LocalPod,
  step: string,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  progress("k8s:local", `${step} ${pod.name}: starting`);
  const started = performance.now();
  for (const folder of pod.secretFolders) await stageSecrets(folder, pod.uid);
  await playPod(pod);
  const ip = await waitReady(pod, undefined, signal);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  progress("k8s:local", `${step} ${pod.name}: ready at ${ip} in ${seconds} s`);
}

/**
 * Plays every pod, each dependency first, and waits until each is ready.
 *
 * @throws {Error} With what to do, when images or secrets are missing or a pod fails.
 */
export async function up(settings: LocalSettings): Promise<string> {
  const { pods, skipped } = await plan(settings);
  const absent = Object.values(SECRET_FILES).filter((f) => {
    try {
      Deno.statSync(`${settings.secretsDir}/${f}`);
      return false;
    } catch {
      return true;
    }
  });
  if (absent.length > 0) {
    throw new Error(
      `No ${
        absent.join(", ")
      } in '${settings.secretsDir}': run 'deno task secrets' first`,
    );
  }
  const missing = await missingImages(pods);
  if (missing.length > 0) {
    throw new Error(
      `Images not built: ${missing.join(", ")}. Build them with:\n` +
        "  deno task build:base\n  deno task build:postgres\n" +
        "  deno task build --test --runtime deno --base localhost/distroless-cc-debian12:nonroot --image",
    );
  }
  const running = await localPodNames();
  if (running.length > 0) {
    throw new Error(
      `Already up (${
        running.join(", ")
      }): run 'deno task k8s:local down' first`,
    );
  }
  for (const line of skipped) progress("k8s:local", `not played: ${line}`);
  const exists = await podman(["network", "exists", NETWORK]).then(
    () => true,
    () => false,
  );
  if (!exists) await podman(["network", "create", NETWORK]);
  await createSecret(settings.secretsDir);
  try {
    for (const [i, pod] of pods.entries()) {
      await start(pod, `[${i + 1}/${pods.length}]`, settings.signal);
    }
  } catch (error) {
    if (settings.signal?.aborted) {
      progress("k8s:local", `stopping on ${settings.signal.reason}`);
      await down();
      throw new Error(
        `Stopped on ${settings.signal.reason}: removed what 'up' started`,
      );
    }
    if (!(error instanceof Error)) throw error;
    throw new Error(
      `${error.message}\nRun 'deno task k8s:local down' to remove what started`,
      { cause: error },
    );
  }
  return `http://127.0.0.1:${settings.port}/`;
}

/**
 * Replaces the pods of one workload with pods of a new image, one at a time:
 * a new pod ready before an old one stops (`maxSurge: 1`,
 * `maxUnavailable: 0`). The pod holding the host port is stopped first.
 */
export async function roll(
  settings: LocalSettings,
  workload: string,
): Promise<void> {
  const { pods } = await plan(settings);
  const wanted = pods.filter((p) => p.workload === workload);
  if (wanted.length === 0) throw new Error(`No workload '${workload}' in k8s/`);
  const existing = await localPodNames();
  if (wanted.every((p) => existing.includes(p.name))) {
    throw new Error(
      `The pods of '${workload}' already run this template: nothing to roll`,
    );
  }
  const old = existing.filter((n) =>
    n.startsWith(`${workload}-`) && !wanted.some((p) => p.name === n)
  ).sort();
  for (const [i, pod] of wanted.entries()) {
    const previous = old[i];
    const holdsPort = pod.hostPort !== undefined;
    if (previous && holdsPort) await removePod(previous, pod.graceSeconds);
    try {
      await start(pod, `[${i + 1}/${wanted.length}]`, settings.signal);
    } catch (error) {
      if (!settings.signal?.aborted) throw error;
      // As when kubectl is stopped mid-rollout: what was done stays.
      throw new Error(
        `Stopped on ${settings.signal.reason} with ${i} of ${wanted.length} pods replaced: roll again to finish`,
      );
    }
    if (previous && !holdsPort) await removePod(previous, pod.graceSeconds);
  }
  for (const extra of old.slice(wanted.length)) await removePod(extra);
}

/**
 * Removes every pod, the network, the Secret, the named volumes and the
 * Secret folders.
 */
export async function down(): Promise<string[]> {
  const removed: string[] = [];
  // All at once: each takes its services' shutdown delay.
  const names = await localPodNames();
  await Promise.all(names.map((name) => removePod(name, 10)));
  removed.push(...names.map((name) => `pod ${name}`));
  const { pods } = await plan({ secretsDir: "", port: 0 });
  for (const volume of new Set(pods.flatMap((p) => p.volumes))) {
    const gone = await podman(["volume", "rm", "--force", volume]).then(
      () => true,
      () => false,
    );
    if (gone) removed.push(`volume ${volume}`);
  }
  if (
    await podman(["secret", "rm", "thoughts-secrets"]).then(
      () => true,
      () => false,
    )
  ) {
    removed.push("secret thoughts-secrets");
  }
  if (await podman(["network", "rm", NETWORK]).then(() => true, () => false)) {
    removed.push(`network ${NETWORK}`);
  }
  await Deno.remove(STATE_DIR, { recursive: true }).catch(() => {});
  return removed;
}

/**
 * The pods of {@linkcode localPods} run with podman: played one by one on a
 * network of their own with their Services as aliases, waited for as their
 * readiness probes would be, and removed again.
 *
 * @module
 */

import { toolEnv } from "../../build/image.ts";
import { LOCAL_LABEL, type LocalPod, type SecretFolder } from "./_transform.ts";

/** The network the pods share; its DNS answers their aliases. */
export const NETWORK = "thoughts-local";

/** A podman command that failed, with what podman said. */
export class PodmanError extends Error {
  /** Always `podman`, for callers that check codes. */
  readonly code = "podman";
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "PodmanError";
  }
}

/**
 * Runs podman with the project's containers configuration.
 *
 * @throws {PodmanError} When it fails.
 */
export async function podman(args: string[], stdin?: string): Promise<string> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("podman", {
      args,
      env: toolEnv("podman"),
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new PodmanError(
      "podman is not installed: apt-get install podman runc netavark aardvark-dns",
    );
  }
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  if (!out.success) {
    const said = new TextDecoder().decode(out.stderr).trim();
    throw new PodmanError(
      `podman ${args.slice(0, 2).join(" ")} failed: ${said}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

/**
 * Copies a Secret volume's files into its folder, readable by the pod's user
 * only.
 *
 * @throws {Deno.errors.NotFound} When a file of a volume that is not optional is missing.
 */
export async function stageSecrets(
  folder: SecretFolder,
  uid: number,
): Promise<void> {
  await Deno.mkdir(folder.dir, { recursive: true, mode: 0o500 });
  for (const [name, source] of Object.entries(folder.files)) {
    let data: Uint8Array;
    try {
      data = await Deno.readFile(source);
    } catch (error) {
      if (folder.optional && error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    const path = `${folder.dir}/${name}`;
    await Deno.writeFile(path, data, { mode: 0o400 });
    await Deno.chown(path, uid, uid);
  }
  await Deno.chown(folder.dir, uid, uid);
}

/** Plays one pod on {@linkcode NETWORK}, named on it by its Services. */
export async function playPod(pod: LocalPod): Promise<void> {
  const aliases = pod.aliases.map((a) => `alias=${a}`).join(",");
  const network = aliases ? `${NETWORK}:${aliases}` : NETWORK;
  await podman(["kube", "play", "--network", network, "-"], pod.yaml);
}

/** The pod's address on {@linkcode NETWORK}, reachable from this host. */
export async function podAddress(pod: string): Promise<string> {
  const infra =
    (await podman(["pod", "inspect", pod, "--format", "{{.InfraContainerID}}"]))
      .trim();
  return (await podman([
    "inspect",
    infra,
    "--format",
    `{{(index .NetworkSettings.Networks "${NETWORK}").IPAddress}}`,
  ])).trim();
}

/**
 * Waits until the pod answers as its readiness probe asks: `httpGet` as a
 * 200, any other probe as an open TCP port.
 *
 * @throws {PodmanError} When it stops or is not ready in time, with its last log lines.
 */
export async function waitReady(
  pod: LocalPod,
  timeoutMs = 120_000,
  signal?: AbortSignal,
): Promise<string> {
  const ip = await podAddress(pod.name);
  const { readiness } = pod;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = readiness.kind === "http"
      ? await fetch(`http://${ip}:${readiness.port}${readiness.path}`, {
        signal: AbortSignal.timeout(2000),
      }).then(async (r) => (await r.body?.cancel(), r.ok), () => false)
      : await Deno.connect({ hostname: ip, port: readiness.port }).then(
        (c) => (c.close(), true),
        () => false,
      );
    if (ready) return ip;
    signal?.throwIfAborted();
    const state =
      (await podman(["pod", "inspect", pod.name, "--format", "{{.State}}"]))
        .trim();
    if (state !== "Running") break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const logs = await podman(["pod", "logs", "--tail", "20", pod.name]).catch((
    e,
  ) => String(e));
  throw new PodmanError(`Pod '${pod.name}' is not ready:\n${logs}`);
}

/**
 * Stops a pod as Kubernetes does (SIGTERM, then SIGKILL after the grace
 * period) and removes it. Its containers stop before its network: a client
 * that still finds its address gets a refusal at once, not a silence.
 */
export async function removePod(
  name: string,
  graceSeconds = 30,
): Promise<void> {
  const containers = (await podman([
    "pod",
    "inspect",
    name,
    "--format",
    "{{range .Containers}}{{.Name}} {{end}}",
  ])).split(/\s+/).filter((c) => c && !c.endsWith("-infra"));
  // A play cut short leaves a pod with no container to stop.
  if (containers.length > 0) {
    await podman(["stop", "--time", String(graceSeconds), ...containers]);
  }
  await podman(["pod", "rm", "--force", name]);
}

/** The pods of `k8s:local` that exist, by name. */
export async function localPodNames(app?: string): Promise<string[]> {
  const out = await podman([
    "pod",
    "ls",
    "--filter",
    `label=${LOCAL_LABEL}=true`,
    ...(app ? ["--filter", `label=app=${app}`] : []),
    "--format",
    "{{.Name}}",
  ]);
  return out.split("\n").filter(Boolean).sort();
}

/**
 * Distroless images of a service: the compiled binary, or a runtime's
 * executable (`deno`, `node` or `bun`) with the service bundled into one
 * file.
 *
 * @module
 */

import {
  IMAGE_DATA_DIR,
  nodeFlags,
  permissionFlags,
  type ServiceSpec,
  V8_FLAGS,
} from "./services.ts";
import { BuildError } from "./build_error.ts";
import { PAYLOAD_LIB_DIR, runtimeFlags } from "./runtime.ts";

/** The default base: glibc, no shell, non-root. */
export const BASE_IMAGE = "gcr.io/distroless/cc-debian12:nonroot";

/** What runs the service in the image: the compiled binary, or a runtime and a bundle. */
export type Runtime = "compiled" | "deno" | "node" | "bun";

/** Where the payload lives in the image. */
export const IMAGE_APP_DIR = "/app";

/**
 * The Dockerfile of a service: its payload, `version.json`, a data folder
 * owned by the non-root user for services with a database, run as that user.
 *
 * @param service The service.
 * @param options The base image and the payload.
 * @returns The Dockerfile's text, built in `dist/<service>`.
 * @example Usage
 * ```ts
 * import { dockerfile } from "./image.ts";
 * import { SERVICES } from "./services.ts";
 *
 * dockerfile(SERVICES[0]!, { base: "gcr.io/distroless/cc-debian12:nonroot", runtime: "node" }).includes("/app/node"); // true
 * ```
 */
export function dockerfile(
  service: ServiceSpec,
  options: { base: string; runtime: Runtime; labels?: Record<string, string> },
): string {
  const app = IMAGE_APP_DIR;
  const { runtime } = options;
  const bundle = `${app}/bundle/${service.name}.js`;
  const entry = {
    compiled: [`${app}/${service.name}`],
    deno: [
      `${app}/deno`,
      "run",
      "--no-config",
      ...permissionFlags(service, [app]),
      bundle,
    ],
    node: [
      `${app}/node`,
      ...runtimeFlags("node"),
      ...nodeFlags(service, [app]),
      bundle,
    ],
    bun: [`${app}/bun`, ...runtimeFlags("bun"), bundle],
  }[runtime];
  const payload = runtime === "compiled"
    ? `COPY ${service.name} ${app}/${service.name}`
    : `COPY ${runtime} ${app}/${runtime}\nCOPY app/ ${app}/`;
  // No shell to mkdir with: an empty folder copied with its owner.
  const data = service.database
    ? `COPY --chown=65532:65532 data/ ${IMAGE_DATA_DIR}/\nWORKDIR ${IMAGE_DATA_DIR}\n`
    : "";
  const labels = Object.entries(options.labels ?? {}).map(([k, v]) =>
    `LABEL ${k}=${JSON.stringify(v)}\n`
  ).join("");
  return `FROM ${options.base}
${labels}${payload}
COPY version.json ${app}/version.json
${data}USER 65532:65532
ENV DENO_NO_UPDATE_CHECK=1
ENV DENO_V8_FLAGS=${V8_FLAGS}
${runtime === "node" ? `ENV LD_LIBRARY_PATH=${app}/${PAYLOAD_LIB_DIR}\n` : ""}
EXPOSE 8000
ENTRYPOINT ${JSON.stringify(entry)}
`;
}

/**
 * The environment an image tool runs with: podman gets the project's
 * containers configuration unless `CONTAINERS_CONF` names another.
 *
 * @param tool The tool.
 * @param env The caller's environment.
 * @returns Variables to add.
 * @example Usage
 * ```ts
 * import { toolEnv } from "./image.ts";
 *
 * toolEnv("podman", {}).CONTAINERS_CONF?.endsWith("tools/build/containers.conf"); // true
 * ```
 */
export function toolEnv(
  tool: ImageTool,
  env: Record<string, string> = Deno.env.toObject(),
): Record<string, string> {
  if (tool !== "podman") return {};
  return {
    CONTAINERS_CONF: env.CONTAINERS_CONF ??
      new URL("./containers.conf", import.meta.url).pathname,
  };
}

/** A container tool that can build images here. */
export type ImageTool = "docker" | "podman";

/**
 * Finds a working image builder: docker with a reachable engine, or podman.
 *
 * @returns The tool, or `undefined` when none works.
 * @example Usage
 * ```ts
 * import { findImageTool } from "./image.ts";
 *
 * const tool = await findImageTool();
 * ```
 */
export async function findImageTool(): Promise<ImageTool | undefined> {
  for (const tool of ["docker", "podman"] as const) {
    try {
      const out = await new Deno.Command(tool, {
        args: ["info"],
        env: toolEnv(tool),
        stdout: "null",
        stderr: "null",
      }).output();
      if (out.success) return tool;
    } catch {
      // Not installed.
    }
  }
  return undefined;
}

/**
 * Builds and tags `<image>:<version>` from `dist/<service>`.
 *
 * @param tool The builder.
 * @param tag The image tag.
 * @param contextDir `dist/<service>` with the binary and Dockerfile.
 * @param extra More arguments for the builder, e.g. podman's `--timestamp 0`.
 * @throws {BuildError} When the build fails.
 * @example Usage
 * ```ts
 * import { buildImage, findImageTool } from "./image.ts";
 *
 * // A folder with no Dockerfile builds nothing: the builder's refusal, as a BuildError.
 * const tool = await findImageTool();
 * const empty = await Deno.makeTempDir();
 * if (tool) await buildImage(tool, "nothing:here", empty).catch((error) => error.code); // "image"
 * await Deno.remove(empty);
 * ```
 */
export async function buildImage(
  tool: ImageTool,
  tag: string,
  contextDir: string,
  extra: string[] = [],
): Promise<void> {
  const out = await new Deno.Command(tool, {
    args: ["build", ...extra, "--tag", tag, contextDir],
    env: toolEnv(tool),
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new BuildError(
      "image",
      `${tool} build of ${tag} failed:\n${
        new TextDecoder().decode(out.stderr).trim()
      }`,
    );
  }
}

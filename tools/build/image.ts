/**
 * Distroless images of the compiled binaries.
 *
 * @module
 */

import { IMAGE_DATA_DIR, type ServiceSpec } from "./services.ts";
import { BuildError } from "./build_error.ts";

/** The base: glibc, no shell, non-root. */
export const BASE_IMAGE = "gcr.io/distroless/cc-debian12:nonroot";

/**
 * The Dockerfile of a service: the binary only, run as the non-root user.
 *
 * @param service The service.
 * @returns The Dockerfile's text, built in `dist/<service>`.
 * @example Usage
 * ```ts
 * import { dockerfile } from "./image.ts";
 *
 * dockerfile(service).startsWith("FROM gcr.io/distroless/cc-debian12:nonroot"); // true
 * ```
 */
export function dockerfile(service: ServiceSpec): string {
  return `FROM ${BASE_IMAGE}
COPY --chown=nonroot:nonroot ${service.name} /app/${service.name}
${service.database ? `WORKDIR ${IMAGE_DATA_DIR}\n` : ""}USER nonroot:nonroot
EXPOSE 8000
ENTRYPOINT ["/app/${service.name}"]
`;
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
 * @throws {BuildError} When the build fails.
 * @example Usage
 * ```ts
 * import { buildImage } from "./image.ts";
 *
 * await buildImage("podman", "users_server:v2.3", "dist/users");
 * ```
 */
export async function buildImage(
  tool: ImageTool,
  tag: string,
  contextDir: string,
): Promise<void> {
  const out = await new Deno.Command(tool, {
    args: ["build", "--tag", tag, contextDir],
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

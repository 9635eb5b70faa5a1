/**
 * The services `build.ts` knows: folders, images and run-time permissions.
 *
 * @module
 */

import { BuildError } from "./build_error.ts";

/** A buildable service. */
export interface ServiceSpec {
  /** Folder and tag prefix. */
  name: "users" | "thoughts" | "frontend";
  /** The image name, tagged with the version. */
  image: string;
  /** The synthetic version of `--test` builds. */
  testVersion: string;
  /** Whether it owns a database (PGlite needs a writable data folder). */
  database: boolean;
  /** Whether it serves `/docs/` (Swagger UI's assets). */
  docs: boolean;
}

/** Every service, in safe deployment order. */
export const SERVICES: readonly ServiceSpec[] = [
  {
    name: "users",
    image: "users_server",
    testVersion: "v2.3",
    database: true,
    docs: true,
  },
  {
    name: "thoughts",
    image: "thoughts_server",
    testVersion: "v1.6",
    database: true,
    docs: true,
  },
  {
    name: "frontend",
    image: "thoughts_frontend",
    testVersion: "v3.7",
    database: false,
    docs: false,
  },
];

/**
 * The V8 heap every service runs with, as `DENO_V8_FLAGS` (set in the
 * images, by `task dev` and by the bench): semi-spaces of 4 MB and an old
 * generation of at most 64 MB (the live set is about 15 MB). Under load V8
 * otherwise lets garbage grow the heap to about 200 MB RSS before it
 * collects; measured in docs/benchmarks.md. An environment variable, not
 * `--v8-flags`: `deno compile` would apply that to itself.
 */
export const V8_FLAGS = "--max-semi-space-size=4,--max-old-space-size=64";

/**
 * How Node runs a service in an image: its permission model as narrow as
 * Deno's flags (the network, reading
 * the secrets, data and payload, writing the data), without the warning
 * that `--allow-net` is experimental.
 *
 * @param service The service.
 * @param readable More folders it reads, e.g. its payload's.
 * @returns The flags before the bundle's path.
 * @example Usage
 * ```ts
 * import { nodeFlags, SERVICES } from "./services.ts";
 *
 * nodeFlags(SERVICES[2]!).includes("--permission"); // true
 * ```
 */
export function nodeFlags(
  service: ServiceSpec,
  readable: string[] = [],
): string[] {
  return [
    "--permission",
    "--allow-net",
    // One flag a path: Node reads no list.
    ...[
      IMAGE_SECRETS_DIR,
      ...(service.database ? [IMAGE_DATA_DIR] : []),
      ...readable,
    ].map((path) => `--allow-fs-read=${path}`),
    ...(service.database ? [`--allow-fs-write=${IMAGE_DATA_DIR}`] : []),
    "--disable-warning=ExperimentalWarning",
  ];
}

/** Where secrets are mounted in the image. */
export const IMAGE_SECRETS_DIR = "/opt/keys";
/** Where the embedded engine may keep data in the image. */
export const IMAGE_DATA_DIR = "/var/lib/thoughts";

/**
 * The narrowest Deno permissions a compiled service runs with: the network,
 * the environment, reading its secrets (and data folder), writing its data.
 * No subprocesses: a stamped binary never asks git.
 *
 * @param service The service.
 * @param readable More folders it may read: the bundle's, when run by `deno`.
 * @returns The permission flags.
 * @example Usage
 * ```ts
 * import { permissionFlags, SERVICES } from "./services.ts";
 *
 * permissionFlags(SERVICES[2]!); // ["--allow-net", "--allow-env", "--allow-read=/opt/keys"]
 * ```
 */
export function permissionFlags(
  service: ServiceSpec,
  readable: string[] = [],
): string[] {
  const read = [
    IMAGE_SECRETS_DIR,
    ...(service.database ? [IMAGE_DATA_DIR] : []),
    ...readable,
  ].join(",");
  return [
    "--allow-net",
    "--allow-env",
    `--allow-read=${read}`,
    ...(service.database ? [`--allow-write=${IMAGE_DATA_DIR}`] : []),
  ];
}

/**
 * Finds services by name.
 *
 * @param names Names from the command line; all services when empty.
 * @returns The services, in deployment order.
 * @throws {BuildError} Naming an unknown service (code `usage`).
 * @example Usage
 * ```ts
 * import { selectServices } from "./services.ts";
 *
 * selectServices(["users"]).map((s) => s.image); // ["users_server"]
 * ```
 */
export function selectServices(names: readonly string[]): ServiceSpec[] {
  const unknown = names.filter((n) => !SERVICES.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new BuildError(
      "usage",
      `Unknown service: ${
        unknown.map((n) => `'${n}'`).join(", ")
      } (expected users, thoughts or frontend)`,
    );
  }
  return SERVICES.filter((s) => names.length === 0 || names.includes(s.name));
}

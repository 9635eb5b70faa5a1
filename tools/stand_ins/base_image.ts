/**
 * `deno task build:base`: assembles the equivalent of
 * `gcr.io/distroless/cc-debian12:nonroot` offline, from the Debian 12
 * packages distroless is made of, and tags it
 * `localhost/distroless-cc-debian12:nonroot`. No shell, user and group
 * `nonroot` (65532); the package versions go to `dist/base/packages.txt`;
 * every file time is zero, so the same packages give the same image ID.
 * Needs apt (Debian 12), dpkg-deb, tar, podman or docker, and root (file
 * owners in the image).
 *
 * Delete when a registry is reachable: pull `gcr.io/distroless/cc-debian12`.
 *
 * @module
 */

import { BuildError } from "../build/build_error.ts";
import type { ImageTool } from "../build/image.ts";
import { buildDebImage } from "../build/_debs.ts";
import { parseCli } from "../cli.ts";
import { ROOT } from "../root.ts";

/** The tag of the assembled base. */
export const LOCAL_BASE = "localhost/distroless-cc-debian12:nonroot";

/** The packages of distroless's `cc-debian12` (base, cc), as Debian names them. */
export const BASE_PACKAGES = [
  "base-files",
  "netbase",
  "tzdata",
  "ca-certificates",
  "libc6",
  "libgcc-s1",
  "libgomp1",
  "libstdc++6",
  "libssl3",
] as const;

/** The users of the base: root, nobody and nonroot (65532). */
export const PASSWD = `root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
`;
/** Their groups. */
export const GROUP = `root:x:0:
nobody:x:65534:
nonroot:x:65532:
`;

const CONTAINERFILE = `FROM scratch
ADD rootfs.tar /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532:65532
WORKDIR /home/nonroot
`;

// Documentation, manuals and the certificate tool (a shell script) are not
// part of distroless; the copyright files are.
const PRUNE = [
  "usr/share/man",
  "usr/share/info",
  "usr/share/lintian",
  "usr/share/doc-base",
  "usr/sbin/update-ca-certificates",
  "etc/ca-certificates.conf",
];

/**
 * Downloads the packages, unpacks them into a root filesystem, adds the
 * users, the CA bundle and the folders, and builds the image.
 *
 * @param outDir Where `rootfs.tar`, `Containerfile` and `packages.txt` go.
 * @param tool The image builder; the first that works by default.
 * @returns The image ID and the package versions.
 * @throws {BuildError} When a tool is missing or a step fails.
 * @example Usage
 * ```ts
 * import { missing } from "@thoughts/testing";
 * import { buildBase } from "./base_image.ts";
 *
 * // With podman and apt (CI installs podman).
 * if (!missing("podman")) {
 *   const { id } = await buildBase("dist/base");
 *   id.length > 0; // true
 * }
 * ```
 */
export async function buildBase(
  outDir: string,
  tool?: ImageTool,
): Promise<{ id: string; packages: string[] }> {
  return await buildDebImage(
    {
      task: "build:base",
      tag: LOCAL_BASE,
      packages: BASE_PACKAGES,
      prune: PRUNE,
      finish: finishRoot,
      containerfile: CONTAINERFILE,
    },
    outDir,
    tool,
  );
}

// What the packages' install scripts would have done, without a shell.
async function finishRoot(root: string): Promise<void> {
  await Deno.writeTextFile(`${root}/etc/passwd`, PASSWD);
  await Deno.writeTextFile(`${root}/etc/group`, GROUP);
  const mozilla = `${root}/usr/share/ca-certificates/mozilla`;
  const certs = [...Deno.readDirSync(mozilla)].map((e) => e.name).sort();
  const bundle = certs.map((name) =>
    Deno.readTextFileSync(`${mozilla}/${name}`).trimEnd() + "\n"
  ).join("");
  await Deno.mkdir(`${root}/etc/ssl/certs`, { recursive: true });
  await Deno.writeTextFile(`${root}/etc/ssl/certs/ca-certificates.crt`, bundle);
  for (
    const [dir, mode, owner] of [
      ["home/nonroot", 0o700, 65532],
      ["root", 0o700, 0],
      ["tmp", 0o1777, 0],
    ] as const
  ) {
    await Deno.mkdir(`${root}/${dir}`, { recursive: true });
    await Deno.chmod(`${root}/${dir}`, mode);
    await Deno.chown(`${root}/${dir}`, owner, owner);
  }
}

if (import.meta.main) {
  parseCli({
    task: "build:base",
    synopsis: "",
    summary:
      `Assembles ${LOCAL_BASE} offline from the Debian 12 packages\ndistroless cc-debian12 is made of; run as root.`,
    options: [],
    example: "deno task build:base",
  }, { args: Deno.args, options: {} });
  const root = `${ROOT}/`;
  try {
    const { id, packages } = await buildBase(`${root}dist/base`);
    console.log(`${LOCAL_BASE} ${id.slice(0, 12)} from ${packages.join(", ")}`);
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    console.error(`build:base: ${error.message}`);
    Deno.exit(1);
  }
}

// Downloads Debian packages with apt, unpacks them into a folder and builds
// an image of it, for the offline images (build:base, build:postgres).
import { runTool } from "./_run.ts";
import { buildImage, type ImageTool } from "./image.ts";

/** Unpacks `packages` into `root`; returns "name version" per package. */
export async function unpackDebs(
  packages: readonly string[],
  root: string,
): Promise<string[]> {
  const debs = await Deno.makeTempDir({ prefix: "thoughts_debs_" });
  try {
    await runTool("image", "apt-get", [
      "download",
      "-o",
      "APT::Sandbox::User=root",
      ...packages,
    ], debs);
    const files = [...Deno.readDirSync(debs)].map((e) => e.name).sort();
    const unpacked: string[] = [];
    for (const file of files) {
      const fields = await runTool("image", "dpkg-deb", [
        "-f",
        `${debs}/${file}`,
        "Package",
        "Version",
      ]);
      const [name, version] = fields.trim().split("\n").map((l) =>
        l.split(": ")[1]
      );
      unpacked.push(`${name} ${version}`);
      await runTool("image", "dpkg-deb", ["-x", `${debs}/${file}`, root]);
    }
    return unpacked;
  } finally {
    await Deno.remove(debs, { recursive: true });
  }
}

/**
 * Builds `tag` from `root` (as `rootfs.tar`) and `containerfile` in `outDir`,
 * with the package list beside them; returns the image ID. Zero times in the
 * tar and the image's metadata: the same packages give the same ID.
 */
export async function buildRootImage(
  builder: ImageTool,
  tag: string,
  root: string,
  outDir: string,
  containerfile: string,
  packages: string[],
): Promise<string> {
  await Deno.mkdir(outDir, { recursive: true });
  await reproducibleTar(root, `${outDir}/rootfs.tar`);
  await Deno.writeTextFile(`${outDir}/Containerfile`, containerfile);
  await Deno.writeTextFile(
    `${outDir}/packages.txt`,
    packages.join("\n") + "\n",
  );
  await buildImage(
    builder,
    tag,
    outDir,
    builder === "podman" ? ["--timestamp", "0"] : [],
  );
  return (await runTool("image", builder, [
    "image",
    "inspect",
    "--format",
    "{{.Id}}",
    tag,
  ])).trim();
}

// Sorted names, zero times, numeric owners: the same files, the same tar.
async function reproducibleTar(root: string, out: string): Promise<void> {
  await runTool("image", "tar", [
    "--sort=name",
    "--mtime=@0",
    "--numeric-owner",
    "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
    "-C",
    root,
    "-cf",
    out,
    ".",
  ]);
}

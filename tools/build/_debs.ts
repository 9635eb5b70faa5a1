// Downloads Debian packages with apt, unpacks them into a folder and builds
// an image of it, for the offline images (build:base, build:postgres).
import { runTool } from "./_run.ts";
import { BuildError } from "./build_error.ts";
import { buildImage, findImageTool, type ImageTool } from "./image.ts";
import { progress } from "../progress.ts";

/** An image made of Debian packages. */
export interface DebImage {
  /** The task that builds it, for progress and errors. */
  task: string;
  tag: string;
  packages: readonly string[];
  /** Paths under the root filesystem to leave out. */
  prune: readonly string[];
  /** What the packages' install scripts would do, and the image's own files. */
  finish(root: string): Promise<void>;
  containerfile: string;
}

/**
 * Downloads and unpacks the packages into a root filesystem, prunes and
 * finishes it, and builds the image from `outDir`.
 */
export async function buildDebImage(
  image: DebImage,
  outDir: string,
  tool?: ImageTool,
): Promise<{ id: string; packages: string[] }> {
  const builder = tool ?? await findImageTool();
  if (!builder) {
    throw new BuildError(
      "no_image_tool",
      `${image.task} needs podman or docker`,
    );
  }
  const work = await Deno.makeTempDir({ prefix: "thoughts_image_" });
  try {
    const root = `${work}/rootfs`;
    await Deno.mkdir(root);
    progress(
      image.task,
      `[1/2] downloading and unpacking ${image.packages.length} Debian packages`,
    );
    const packages = await unpackDebs(image.packages, root);
    for (const path of image.prune) {
      await Deno.remove(`${root}/${path}`, { recursive: true }).catch(() => {});
    }
    await image.finish(root);
    progress(image.task, `[2/2] building ${image.tag}`);
    const id = await buildRootImage(
      builder,
      image.tag,
      root,
      outDir,
      image.containerfile,
      packages,
    );
    return { id, packages };
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

/** Unpacks Debian packages into `root`; returns "name version" per package. */
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

// Builds `tag` from `root` (as `rootfs.tar`) and `containerfile` in `outDir`,
// with the package list beside them; returns the image ID. Zero times in the
// tar and the image's metadata: the same packages give the same ID.
async function buildRootImage(
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

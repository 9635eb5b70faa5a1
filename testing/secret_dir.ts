/**
 * A secrets folder laid out as the kubelet mounts a Secret: the files live
 * in a timestamped folder, `..data` links to it, and each visible name links
 * into `..data`. An update writes a new folder and swaps the `..data` link
 * atomically, which is what a naive file watch misses.
 *
 * @module
 */

/** A mounted-Secret folder for tests. */
export interface SecretDir extends AsyncDisposable {
  /** The folder's path. */
  dir: string;
  /** Replaces the whole content, the kubelet's way. */
  update(files: Record<string, string>): Promise<void>;
}

let generation = 0;

/**
 * Creates a secrets folder with the given files.
 *
 * @param files File names to contents.
 * @returns The folder; `update()` swaps its content atomically.
 * @example Usage
 * ```ts
 * import { createSecretDir } from "./secret_dir.ts";
 * import { testKeyPems } from "./test_keys.ts";
 *
 * const { publicPem } = await testKeyPems();
 * await using keys = await createSecretDir({ "public_key.pub": publicPem });
 * await keys.update({ "public_key_next.pub": publicPem });
 * ```
 */
export async function createSecretDir(
  files: Record<string, string>,
): Promise<SecretDir> {
  const dir = await Deno.makeTempDir({ prefix: "thoughts_secret_" });
  let visible: string[] = [];
  const update = async (next: Record<string, string>) => {
    const folder = `..${Date.now()}_${++generation}`;
    await Deno.mkdir(`${dir}/${folder}`);
    for (const [name, content] of Object.entries(next)) {
      await Deno.writeTextFile(`${dir}/${folder}/${name}`, content);
    }
    const old = await Deno.readLink(`${dir}/..data`).catch(() => undefined);
    await Deno.symlink(folder, `${dir}/..data_tmp`);
    await Deno.rename(`${dir}/..data_tmp`, `${dir}/..data`);
    for (const name of Object.keys(next)) {
      if (!visible.includes(name)) {
        await Deno.symlink(`..data/${name}`, `${dir}/${name}`);
      }
    }
    for (const name of visible) {
      if (!(name in next)) await Deno.remove(`${dir}/${name}`);
    }
    visible = Object.keys(next);
    if (old) await Deno.remove(`${dir}/${old}`, { recursive: true });
  };
  await update(files);
  return {
    dir,
    update,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

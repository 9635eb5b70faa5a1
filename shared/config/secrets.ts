/**
 * Reading mounted secret files. Values are returned to the caller only and
 * never appear in an error message.
 *
 * @module
 */

import { readdir, readFile, stat } from "node:fs/promises";

/** A folder of secret files; the seam between the services and the disk. */
export interface SecretReader {
  /** Where the secrets live, for messages. */
  readonly location: string;
  /** The names of the regular files present, sorted; `[]` when the folder is absent. */
  list(): Promise<string[]>;
  /** The content of one file. */
  read(name: string): Promise<string>;
}

/**
 * Reads secrets from a folder, as Kubernetes mounts them: the visible names
 * are links into a `..data` folder, which is followed; the dot-folders
 * themselves are skipped.
 *
 * @param dir The folder, e.g. `/opt/keys`.
 * @returns The reader.
 * @example Usage
 * ```ts
 * import { dirSecretReader } from "@thoughts/shared/config";
 *
 * await dirSecretReader("testing/testdata/keys").list(); // ["private_key.pem", "public_key.pub"]
 * await dirSecretReader("/no/such/folder").list(); // []
 * ```
 */
export function dirSecretReader(dir: string): SecretReader {
  return {
    location: dir,
    async list() {
      const names: string[] = [];
      let entries: string[];
      try {
        entries = await readdir(dir);
      } catch (error) {
        if ((error as { code?: string }).code === "ENOENT") return [];
        throw error;
      }
      for (const name of entries) {
        if (name.startsWith(".")) continue;
        const info = await stat(`${dir}/${name}`).catch(() => null);
        if (info?.isFile()) names.push(name);
      }
      return names.sort();
    },
    read: (name) => readFile(`${dir}/${name}`, "utf8"),
  };
}

/**
 * An in-memory folder of secrets, for tests.
 *
 * @param files File names to contents.
 * @returns The reader.
 * @example Usage
 * ```ts
 * import { memorySecretReader } from "@thoughts/shared/config";
 *
 * const reader = memorySecretReader({ "admin_token": "s3cret" });
 * await reader.list(); // ["admin_token"]
 * ```
 */
export function memorySecretReader(
  files: Record<string, string>,
): SecretReader {
  return {
    location: "memory",
    list: () => Promise.resolve(Object.keys(files).sort()),
    read(name) {
      const value = files[name];
      return value === undefined
        ? Promise.reject(
          Object.assign(new Error(`No secret file: '${name}'`), {
            code: "ENOENT",
          }),
        )
        : Promise.resolve(value);
    },
  };
}

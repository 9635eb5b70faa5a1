/**
 * Development keys: a fresh pair generated on first run into an ignored
 * folder, never the built-in test keys, never committed.
 *
 * @module
 */

import { generateKeyPairPem } from "../keys/generate.ts";
import { PRIVATE_KEY_FILE } from "@thoughts/shared/auth";

/** The public key's file name, as in the cluster's secret. */
export const PUBLIC_KEY_FILE = "public_key.pub";

/**
 * Makes sure the folder holds a key pair, generating one if needed.
 *
 * @param dir The keys folder, e.g. `.keys`.
 * @returns Whether a new pair was generated.
 * @example Usage
 * ```ts
 * import { ensureDevKeys } from "./keys.ts";
 *
 * await ensureDevKeys(".keys");
 * ```
 */
export async function ensureDevKeys(dir: string): Promise<boolean> {
  const exists = await Deno.stat(`${dir}/${PRIVATE_KEY_FILE}`).then(
    () => true,
    () => false,
  );
  if (exists) return false;
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const { privatePem, publicPem } = await generateKeyPairPem();
  await Deno.writeTextFile(`${dir}/${PRIVATE_KEY_FILE}`, privatePem, {
    mode: 0o600,
  });
  await Deno.writeTextFile(`${dir}/${PUBLIC_KEY_FILE}`, publicPem, {
    mode: 0o644,
  });
  return true;
}

/**
 * Development secrets: a fresh key pair and admin token generated on first
 * run into an ignored folder, never the test ones, never committed.
 *
 * @module
 */

import { generateAdminToken, generateKeyPairPem } from "@thoughts/shared/auth";
import { ADMIN_TOKEN_FILE, PRIVATE_KEY_FILE } from "@thoughts/shared/auth";

/** The public key's file name, as in the cluster's secret. */
export const PUBLIC_KEY_FILE = "public_key.pub";

/**
 * Makes sure the folder holds a key pair and an admin token, generating
 * what is missing.
 */
export async function ensureDevKeys(dir: string): Promise<boolean> {
  const exists = (name: string) =>
    Deno.stat(`${dir}/${name}`).then(() => true, () => false);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  // A folder from before the admin token existed gets one of its own.
  const token = !(await exists(ADMIN_TOKEN_FILE));
  if (token) {
    await Deno.writeTextFile(
      `${dir}/${ADMIN_TOKEN_FILE}`,
      generateAdminToken(),
      {
        mode: 0o600,
      },
    );
  }
  if (await exists(PRIVATE_KEY_FILE)) return token;
  const { privatePem, publicPem } = await generateKeyPairPem();
  await Deno.writeTextFile(`${dir}/${PRIVATE_KEY_FILE}`, privatePem, {
    mode: 0o600,
  });
  await Deno.writeTextFile(`${dir}/${PUBLIC_KEY_FILE}`, publicPem, {
    mode: 0o644,
  });
  return true;
}

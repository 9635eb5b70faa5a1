/**
 * The test key pair, kept as files under `testdata/keys` and read through
 * the same secret reader the services use. It is in git, so production
 * refuses it.
 *
 * @module
 */

import { type KeySet, loadKeySet } from "@thoughts/shared/auth";
import { dirSecretReader, type SecretReader } from "@thoughts/shared/config";

/** The folder of the test keys: `private_key.pem` and `public_key.pub`. */
export const TEST_KEYS_DIR: string =
  new URL("./testdata/keys", import.meta.url).pathname;

// The test keys' folder, read as a service reads SECRETS_DIR.
function testKeyReader(): SecretReader {
  return dirSecretReader(TEST_KEYS_DIR);
}

/**
 * The test keys as PEM text, for tests that write them somewhere else.
 *
 * @returns The private key (PKCS#8 PEM) and the public key (SPKI PEM).
 * @example Usage
 * ```ts
 * import { testKeyPems } from "@thoughts/testing";
 *
 * const { publicPem } = await testKeyPems();
 * publicPem.startsWith("-----BEGIN PUBLIC KEY-----"); // true
 * ```
 */
export async function testKeyPems(): Promise<
  { privatePem: string; publicPem: string }
> {
  const reader = testKeyReader();
  return {
    privatePem: await reader.read("private_key.pem"),
    publicPem: await reader.read("public_key.pub"),
  };
}

/**
 * Loads the test keys as a key set, as a service in `APP_ENV=test` would.
 *
 * @param signs Whether to load the signing key too.
 * @returns The key set.
 * @example Usage
 * ```ts
 * import { loadTestKeys } from "@thoughts/testing";
 *
 * (await loadTestKeys(true)).signer !== undefined; // true
 * ```
 */
export function loadTestKeys(signs: boolean): Promise<KeySet> {
  return loadKeySet({ reader: testKeyReader(), appEnv: "test", signs });
}

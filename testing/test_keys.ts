/**
 * The test key pair, kept as files under `testdata/keys` and read through
 * the same secret reader the services use. It is in git, so production
 * refuses it.
 *
 * @module
 */

import { type KeySet, loadKeySet } from "@thoughts/shared/auth";
import { dirSecretReader, type SecretReader } from "@thoughts/shared/config";

/** The folder of the test secrets: `private_key.pem`, `public_key.pub` and `admin_token`. */
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

/** The test admin token, `testdata/keys/admin_token`; production refuses it. */
export const TEST_ADMIN_TOKEN: string = Deno.readTextFileSync(
  `${TEST_KEYS_DIR}/admin_token`,
).trim();

/**
 * A request carrying the test admin token in `X-Admin-Token`, as admin
 * writes need.
 *
 * @param init The request without it.
 * @returns The request with it.
 * @example Usage
 * ```ts
 * import { asAdmin, TEST_ADMIN_TOKEN } from "@thoughts/testing";
 *
 * new Headers(asAdmin({ method: "DELETE" }).headers).get("X-Admin-Token") === TEST_ADMIN_TOKEN; // true
 * ```
 */
export function asAdmin(init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set("X-Admin-Token", TEST_ADMIN_TOKEN);
  return { ...init, headers };
}

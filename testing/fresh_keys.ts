/**
 * A signing key set of a fresh key pair, for tests that need a key the
 * services do not know (forged tokens, rotations).
 *
 * @module
 */

import {
  generateKeyPairPem,
  type KeySet,
  loadKeySet,
  PRIVATE_KEY_FILE,
} from "@thoughts/shared/auth";
import { memorySecretReader } from "@thoughts/shared/config";

/**
 * Generates a key pair and loads it as a signing key set.
 *
 * @returns The key set; its signer's kid is the new public key's.
 * @example Usage
 * ```ts
 * import { freshSigningKeys } from "./fresh_keys.ts";
 * import { signToken } from "@thoughts/shared/auth";
 *
 * const forged = await signToken(await freshSigningKeys(), "ada", { lifetime: 60, now: new Date() });
 * ```
 */
export async function freshSigningKeys(): Promise<KeySet> {
  const pair = await generateKeyPairPem();
  return await loadKeySet({
    reader: memorySecretReader({
      [PRIVATE_KEY_FILE]: pair.privatePem,
      "fresh.pub": pair.publicPem,
    }),
    appEnv: "test",
    signs: true,
  });
}

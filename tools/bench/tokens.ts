/**
 * The cost of checking a token in process, next to its own floor: the
 * RS256 signature check alone, as this runtime's WebCrypto does it.
 *
 * @module
 */

import {
  loadKeySet,
  memorySecretReader,
  signToken,
  verifyToken,
} from "@thoughts/shared";

/** Microseconds per token check. */
export interface TokenTimes {
  /** A token not seen before: signature, claims, expiry. */
  firstUs: number;
  /** A token seen before, as every further request of a client sends. */
  repeatedUs: number;
  /** `crypto.subtle.verify` alone on an RS256 signature. */
  signatureUs: number;
}

async function perCall(n: number, fn: (i: number) => Promise<unknown>) {
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return ((performance.now() - started) * 1000) / n;
}

/**
 * Times token verification with the test keys.
 *
 * @param count How many distinct tokens to check.
 * @returns Microseconds per check, first and repeated, and the bare signature check.
 * @example Usage
 * ```ts
 * import { timeTokens } from "./tokens.ts";
 *
 * const { firstUs, repeatedUs, signatureUs } = await timeTokens(100);
 * ```
 */
export async function timeTokens(count = 500): Promise<TokenTimes> {
  const keys = await loadKeySet({
    reader: memorySecretReader({}),
    appEnv: "test",
    signs: true,
  });
  const now = new Date();
  const tokens = await Promise.all(
    Array.from(
      { length: count },
      (_, i) => signToken(keys, `user${i}`, { lifetime: 3600, now }),
    ),
  );
  const firstUs = await perCall(
    count,
    (i) => verifyToken(keys, tokens[i]!, now),
  );
  const repeatedUs = await perCall(
    count * 10,
    (i) => verifyToken(keys, tokens[i % count]!, now),
  );
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const pair = await crypto.subtle.generateKey(
    {
      ...algorithm,
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
    },
    false,
    ["sign", "verify"],
  );
  const data = new TextEncoder().encode(tokens[0]!.split(".", 2).join("."));
  const signature = await crypto.subtle.sign(algorithm, pair.privateKey, data);
  const signatureUs = await perCall(
    count,
    () => crypto.subtle.verify(algorithm, pair.publicKey, signature, data),
  );
  return { firstUs, repeatedUs, signatureUs };
}

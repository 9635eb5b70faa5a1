/**
 * The cost of checking a token in process, next to its floor (the RS256
 * signature check alone) and to the same check by this runtime's WebCrypto.
 *
 * @module
 */

import { exportJWK } from "jose";
import {
  loadKeySet,
  memorySecretReader,
  Rs256Key,
  signToken,
  verifyToken,
} from "@thoughts/shared";
import { median } from "./median.ts";

/** Microseconds per token check: medians over the rounds. */
export interface TokenTimes {
  /** A token not seen before: signature, claims, expiry. */
  firstUs: number;
  /** The fastest and slowest round of `firstUs`. */
  firstRangeUs: [number, number];
  /** A token seen before, as every further request of a client sends. */
  repeatedUs: number;
  /** The RS256 signature check alone ({@linkcode Rs256Key}). */
  signatureUs: number;
  /** `crypto.subtle.verify` alone on the same signature. */
  webCryptoUs: number;
}

async function perCall(n: number, fn: (i: number) => unknown) {
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return ((performance.now() - started) * 1000) / n;
}

/**
 * Times token verification with the test keys, in rounds that each time
 * every measure side by side, so a slow stretch of a shared machine weighs
 * on all of them alike.
 *
 * @param count How many distinct tokens each round checks.
 * @param rounds How many rounds; medians are reported.
 * @returns Microseconds per check, first and repeated, and the bare signature checks.
 * @example Usage
 * ```ts
 * import { timeTokens } from "./tokens.ts";
 *
 * const { firstUs, repeatedUs, signatureUs, webCryptoUs } = await timeTokens(100);
 * ```
 */
export async function timeTokens(count = 500, rounds = 5): Promise<TokenTimes> {
  const keys = await loadKeySet({
    reader: memorySecretReader({}),
    appEnv: "test",
    signs: true,
  });
  const now = new Date();
  const tokens = await Promise.all(
    Array.from(
      { length: count * (rounds + 1) },
      (_, i) => signToken(keys, `user${i}`, { lifetime: 3600, now }),
    ),
  );
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const pair = await crypto.subtle.generateKey(
    {
      ...algorithm,
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
    },
    true,
    ["sign", "verify"],
  );
  const data = new TextEncoder().encode(tokens[0]!.split(".", 2).join("."));
  const signature = await crypto.subtle.sign(algorithm, pair.privateKey, data);
  const key = Rs256Key.fromJwk(await exportJWK(pair.publicKey));
  const bytes = new Uint8Array(signature);
  // The first slice warms the compiler up, as a service's first requests do;
  // each round then checks a slice of tokens never seen.
  await perCall(count, (i) => verifyToken(keys, tokens[i]!, now));
  const times = { first: [], repeated: [], signature: [], webCrypto: [] } as {
    [K in "first" | "repeated" | "signature" | "webCrypto"]: number[];
  };
  for (let round = 1; round <= rounds; round++) {
    const slice = tokens.slice(round * count, (round + 1) * count);
    times.first.push(
      await perCall(count, (i) => verifyToken(keys, slice[i]!, now)),
    );
    times.repeated.push(
      await perCall(
        count * 10,
        (i) => verifyToken(keys, slice[i % count]!, now),
      ),
    );
    times.signature.push(await perCall(count, () => key.verify(data, bytes)));
    times.webCrypto.push(
      await perCall(
        count,
        () => crypto.subtle.verify(algorithm, pair.publicKey, signature, data),
      ),
    );
  }
  return {
    firstUs: median(times.first),
    firstRangeUs: [Math.min(...times.first), Math.max(...times.first)],
    repeatedUs: median(times.repeated),
    signatureUs: median(times.signature),
    webCryptoUs: median(times.webCrypto),
  };
}

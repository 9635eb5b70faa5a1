/**
 * The cost of checking a token in process, first and repeated, next to
 * this runtime's bare WebCrypto signature check.
 *
 * @module
 */

import {
  type KeySet,
  loadKeySet,
  signToken,
  verifyToken,
} from "@thoughts/shared/auth";
import { memorySecretReader } from "@thoughts/shared/config";
import { generateKeyPairPem } from "../keys/generate.ts";
import { median } from "./median.ts";

/** Microseconds per token check: medians over the rounds. */
export interface TokenTimes {
  /** A token not seen before: signature, claims, expiry. */
  firstUs: number;
  /** The fastest and slowest round of `firstUs`. */
  firstRangeUs: [number, number];
  /** A token seen before, as every further request of a client sends. */
  repeatedUs: number;
  /** `crypto.subtle.verify` alone on a signature of the same size. */
  webCryptoUs: number;
}

/** Checks one token, as {@linkcode verifyToken} does. */
export type Verify = (keys: KeySet, token: string, now: Date) => unknown;

async function perCall(n: number, fn: (i: number) => unknown) {
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return ((performance.now() - started) * 1000) / n;
}

/**
 * Times token verification with a fresh key pair, in rounds that each time
 * every measure side by side, so a slow stretch of a shared machine weighs
 * on all of them alike. Each round checks `count` tokens never seen, then
 * the same tokens ten times over.
 *
 * @param count How many distinct tokens each round checks.
 * @param rounds How many rounds; medians are reported.
 * @param verify The check to time; {@linkcode verifyToken} by default.
 * @returns Microseconds per check, first and repeated, and the bare signature check.
 * @example Usage
 * ```ts
 * import { timeTokens } from "./tokens.ts";
 *
 * const { firstUs, repeatedUs } = await timeTokens(5, 1);
 * ```
 */
export async function timeTokens(
  count = 500,
  rounds = 5,
  verify: Verify = verifyToken,
): Promise<TokenTimes> {
  const pair = await generateKeyPairPem();
  const keys = await loadKeySet({
    reader: memorySecretReader({
      "private_key.pem": pair.privatePem,
      "bench.pub": pair.publicPem,
    }),
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
  const data = new TextEncoder().encode(tokens[0]!.split(".", 2).join("."));
  const signature = await crypto.subtle.sign(algorithm, keys.signer!.key, data);
  const publicKey = keys.verifiers.get(keys.signer!.kid)!;
  // The first slice warms the compiler up, as a service's first requests do;
  // each round then checks a slice of tokens never seen.
  await perCall(count, (i) => verify(keys, tokens[i]!, now));
  const times = { first: [], repeated: [], webCrypto: [] } as {
    [K in "first" | "repeated" | "webCrypto"]: number[];
  };
  for (let round = 1; round <= rounds; round++) {
    const slice = tokens.slice(round * count, (round + 1) * count);
    times.first.push(
      await perCall(count, (i) => verify(keys, slice[i]!, now)),
    );
    times.repeated.push(
      await perCall(count * 10, (i) => verify(keys, slice[i % count]!, now)),
    );
    times.webCrypto.push(
      await perCall(
        count,
        () => crypto.subtle.verify(algorithm, publicKey, signature, data),
      ),
    );
  }
  return {
    firstUs: median(times.first),
    firstRangeUs: [Math.min(...times.first), Math.max(...times.first)],
    repeatedUs: median(times.repeated),
    webCryptoUs: median(times.webCrypto),
  };
}

/**
 * RS256 signature checks (RSASSA-PKCS1-v1_5 with SHA-256, RFC 8017 §8.2.2)
 * with an RSA public key.
 *
 * Why not WebCrypto: this runtime's RSA takes 300–550 µs per check on a
 * machine where OpenSSL takes 20 to 30 µs, and a token check must stay under
 * 100 µs. Checking is the safe half of RSA to write: it uses only public
 * values, so there is no secret for timing to leak, and it follows the RFC's
 * encode-then-compare rule. The expected encoded message is built from the
 * digest and compared whole, never parsed, which rules out the padding
 * parsing forgeries (Bleichenbacher, 2006) that parsing verifiers fell to.
 * Signing stays with WebCrypto.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { decodeBase64Url } from "./base64.ts";

// DER of DigestInfo { sha256, NULL } up to the 32-byte digest, as RFC 8017
// §9.2, note 1, spells it.
const SHA256_DIGEST_INFO = Uint8Array.fromHex(
  "3031300d060960864801650304020105000420",
);
const DIGEST_BITS = 256n;

/** The shortest modulus accepted, as RFC 7518 §3.3 requires for RS256. */
export const RS256_MIN_BITS = 2048;

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x0${bytes.toHex()}`);
}

/** An RSA public key that checks RS256 signatures. */
export class Rs256Key {
  readonly #n: bigint;
  readonly #exponentBits: string;
  readonly #size: number;
  // Every byte of the encoded message but the digest, shifted past it.
  readonly #prefix: bigint;

  private constructor(n: bigint, e: bigint) {
    const bits = n.toString(2).length;
    if (bits < RS256_MIN_BITS) {
      throw new RangeError(
        `RSA modulus too short for RS256: ${bits} bits (at least ${RS256_MIN_BITS})`,
      );
    }
    if (e < 3n || e % 2n === 0n || e >= n) {
      throw new RangeError(`RSA public exponent invalid: '${e}'`);
    }
    this.#n = n;
    this.#exponentBits = e.toString(2);
    this.#size = Math.ceil(bits / 8);
    const padding = this.#size - 3 - SHA256_DIGEST_INFO.length - 32;
    this.#prefix = toBigInt(
      new Uint8Array([
        0x00,
        0x01,
        ...new Array<number>(padding).fill(0xff),
        0x00,
        ...SHA256_DIGEST_INFO,
      ]),
    ) << DIGEST_BITS;
  }

  /**
   * Prepares a key from the `n` and `e` of an RSA JWK.
   *
   * @param jwk An RSA public JWK.
   * @returns The key.
   * @throws {TypeError} When the JWK is not an RSA public key.
   * @throws {RangeError} When the modulus is under 2048 bits or the exponent is invalid.
   * @example Usage
   * ```ts
   * import { Rs256Key } from "@thoughts/shared";
   *
   * const key = Rs256Key.fromJwk(await exportJWK(publicKey));
   * ```
   */
  static fromJwk(jwk: { kty?: string; n?: string; e?: string }): Rs256Key {
    if (jwk.kty !== "RSA" || !jwk.n || !jwk.e) {
      throw new TypeError("Not an RSA public key: 'kty', 'n' or 'e' missing");
    }
    return new Rs256Key(
      toBigInt(decodeBase64Url(jwk.n)),
      toBigInt(decodeBase64Url(jwk.e)),
    );
  }

  /**
   * Checks an RS256 signature over the data.
   *
   * @param data The signed data; text is signed as its UTF-8 bytes (for a
   * JWS, the ASCII of `header.payload`).
   * @param signature The signature bytes.
   * @returns Whether the signature is this key's over exactly this data.
   * @example Usage
   * ```ts
   * key.verify("header.payload", signatureBytes); // false
   * ```
   */
  verify(data: string | Uint8Array, signature: Uint8Array): boolean {
    // RSAVP1 takes exactly k octets and a representative below the modulus;
    // without these, s + n would also pass for s.
    if (signature.length !== this.#size) return false;
    const s = toBigInt(signature);
    if (s >= this.#n) return false;
    const digest = createHash("sha256").update(data).digest("hex");
    return this.#power(s) === (this.#prefix | BigInt(`0x${digest}`));
  }

  // s^e mod n, left to right; 65537 costs 16 squarings and one product.
  #power(s: bigint): bigint {
    let result = 1n;
    for (const bit of this.#exponentBits) {
      result = (result * result) % this.#n;
      if (bit === "1") result = (result * s) % this.#n;
    }
    return result;
  }
}

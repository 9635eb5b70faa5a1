import { exportJWK } from "jose";
import { decodeBase64Url } from "./base64.ts";
import { Rs256Key } from "./rs256.ts";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";

const ALG = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };

async function pair(modulusLength: number, exponent: number[]) {
  const keys = await crypto.subtle.generateKey(
    { ...ALG, modulusLength, publicExponent: new Uint8Array(exponent) },
    true,
    ["sign", "verify"],
  );
  const jwk = await exportJWK(keys.publicKey);
  const fast = Rs256Key.fromJwk(jwk);
  const n = bigOf(decodeBase64Url(jwk.n!));
  const sign = async (data: Uint8Array<ArrayBuffer>) =>
    new Uint8Array(await crypto.subtle.sign(ALG, keys.privateKey, data));
  const reference = (
    data: Uint8Array<ArrayBuffer>,
    signature: Uint8Array<ArrayBuffer>,
  ) => crypto.subtle.verify(ALG, keys.publicKey, signature, data);
  return { fast, sign, reference, n, size: Math.ceil(modulusLength / 8) };
}

function bytesOf(n: bigint, size: number): Uint8Array<ArrayBuffer> {
  const hex = n.toString(16).padStart(size * 2, "0");
  return Uint8Array.from(
    { length: size },
    (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16),
  );
}

function bigOf(bytes: Uint8Array): bigint {
  return BigInt(
    `0x0${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`,
  );
}

function flipBit(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const copy = bytes.slice();
  const bit = Math.floor(Math.random() * copy.length * 8);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

const keys = {
  "2048-bit, e=65537": await pair(2048, [1, 0, 1]),
  "2056-bit (257-byte signatures)": await pair(2056, [1, 0, 1]),
  "2048-bit, e=3": await pair(2048, [3]),
};
const other = await pair(2048, [1, 0, 1]);

Deno.test("Rs256Key.verify() agrees with WebCrypto on real and tampered signatures", async (t) => {
  for (const [name, key] of Object.entries(keys)) {
    await t.step(name, async () => {
      for (let i = 0; i < 60; i++) {
        const data = crypto.getRandomValues(
          new Uint8Array(Math.floor(Math.random() * 400)),
        );
        const signature = await key.sign(data);
        const cases: [
          Uint8Array<ArrayBuffer>,
          Uint8Array<ArrayBuffer>,
          boolean,
        ][] = [
          [data, signature, true],
          [data, flipBit(signature), false],
          [data.length ? flipBit(data) : new Uint8Array([0]), signature, false],
          [data, await other.sign(data), false],
          [data, crypto.getRandomValues(new Uint8Array(key.size)), false],
        ];
        for (const [signed, sig, expected] of cases) {
          assertEquals(
            [key.fast.verify(signed, sig), await key.reference(signed, sig)],
            [expected, expected],
          );
        }
      }
    });
  }
});

Deno.test("Rs256Key.verify() refuses signatures of the wrong length or at or above the modulus", async (t) => {
  const key = keys["2048-bit, e=65537"];
  const data = new TextEncoder().encode("header.payload");
  const signature = await key.sign(data);
  const cases: [string, Uint8Array<ArrayBuffer>][] = [
    ["a zero byte in front", new Uint8Array([0, ...signature])],
    ["the last byte cut", signature.slice(0, -1)],
    ["empty", new Uint8Array()],
    ["zero", new Uint8Array(key.size)],
    ["the modulus", bytesOf(key.n, key.size)],
  ];
  assertOk(key.fast.verify(data, signature), "the real signature fails");
  for (const [name, forged] of cases) {
    await t.step(
      name,
      () => assertEquals(key.fast.verify(data, forged), false),
    );
  }
  await t.step("s + n, which has the same power modulo n", async () => {
    // It fits in k bytes only when s < 2^(8k) - n, so search for such an s.
    for (const key of [...Object.values(keys), other]) {
      const room = (1n << BigInt(key.size * 8)) - key.n;
      for (let i = 0; i < 100; i++) {
        const data = crypto.getRandomValues(new Uint8Array(16));
        const s = bigOf(await key.sign(data));
        if (s >= room) continue;
        const shifted = bytesOf(s + key.n, key.size);
        assertEquals(
          [key.fast.verify(data, shifted), await key.reference(data, shifted)],
          [false, false],
        );
        return;
      }
    }
    throw new Error("No signature below 2^(8k) - n in 400 tries");
  });
});

Deno.test("Rs256Key.verify() refuses a cube-root forgery that fools padding parsers", async () => {
  // Bleichenbacher (2006): with e = 3, a verifier that parses the padding and
  // ignores what follows the digest accepts s = ceil(cbrt(prefix || garbage)).
  const key = keys["2048-bit, e=3"];
  const data = new TextEncoder().encode("header.payload");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  // 00 01, a single FF, 00, then DigestInfo and the digest (RFC 8017 §9.2).
  const prefix = BigInt(
    `0x0001ff003031300d060960864801650304020105000420${digest.toHex()}`,
  );
  const garbageBits = BigInt((key.size - 55) * 8);
  const target = (prefix << garbageBits) | ((1n << garbageBits) - 1n);
  const forged = cubeRootFloor(target);
  // The forgery's cube, with no reduction, starts with the right prefix.
  assertEquals((forged ** 3n) >> garbageBits, prefix);
  assertEquals(key.fast.verify(data, bytesOf(forged, key.size)), false);
});

Deno.test("Rs256Key.fromJwk() refuses short moduli, bad exponents and other keys", async (t) => {
  const b64 = (bytes: number[]) =>
    btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll(
      "/",
      "_",
    )
      .replace(/=+$/, "");
  const n1024 = b64(new Array(128).fill(0xff));
  const n2048 = b64(new Array(256).fill(0xff));
  const cases: [string, Record<string, string>, RegExp][] = [
    ["1024-bit", { kty: "RSA", n: n1024, e: "AQAB" }, /too short.*1024 bits/],
    [
      "even exponent",
      { kty: "RSA", n: n2048, e: "Ag" },
      /exponent invalid: '2'/,
    ],
    ["exponent 1", { kty: "RSA", n: n2048, e: "AQ" }, /exponent invalid: '1'/],
    ["EC key", { kty: "EC", x: "AA", y: "AA" }, /Not an RSA public key/],
    ["not base64url", { kty: "RSA", n: "a+b/", e: "AQAB" }, /base64url/],
  ];
  for (const [name, jwk, message] of cases) {
    await t.step(name, () => {
      const error = assertThrows(() => Rs256Key.fromJwk(jwk));
      assertOk(message.test(String(error)), `unexpected: ${error}`);
    });
  }
});

function cubeRootFloor(x: bigint): bigint {
  let low = 0n;
  let high = 1n << BigInt(Math.ceil(x.toString(2).length / 3) + 1);
  while (low < high) {
    const mid = (low + high + 1n) >> 1n;
    if (mid ** 3n <= x) low = mid;
    else high = mid - 1n;
  }
  return low;
}

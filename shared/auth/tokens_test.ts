import { base64url, SignJWT, UnsecuredJWT } from "jose";
import {
  assertEquals,
  assertRejects,
  assertThrows,
  freshSigningKeys,
  loadTestKeys,
  testKeyPems,
} from "@thoughts/testing";
import { generateKeyPairPem } from "./generate.ts";
import { type KeySet, loadKeySet } from "./key_set.ts";
import { memorySecretReader } from "../config/secrets.ts";
import { TokenError } from "./token_error.ts";
import { bearerToken, signToken, verifyToken } from "./tokens.ts";

const keys = await loadTestKeys(true);
const { publicPem } = await testKeyPems();
const now = new Date("2026-11-25T12:00:00Z");
const seconds = now.getTime() / 1000;

function header(): Record<string, unknown> {
  return { alg: "RS256", typ: "JWT", kid: keys.signer!.kid };
}

function claims(changes: Record<string, unknown> = {}): string {
  return JSON.stringify({
    username: "ada",
    iat: seconds,
    exp: seconds + 60,
    ...changes,
  });
}

function valid(): Promise<string> {
  return crafted(header(), claims());
}

// Signs any header and payload with the test key, so the checks after the
// signature can be reached with claims a well-behaved signer never writes.
async function crafted(
  head: Record<string, unknown> | string,
  payload: string | Uint8Array,
): Promise<string> {
  const input = `${
    base64url.encode(typeof head === "string" ? head : JSON.stringify(head))
  }.${base64url.encode(payload)}`;
  const signature = await crypto.subtle.sign(
    "RSASSA-PKCS1-v1_5",
    keys.signer!.key,
    new TextEncoder().encode(input),
  );
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}

Deno.test("signToken() makes a token verifyToken() accepts with the kid", async () => {
  const token = await signToken(keys, "ada", { lifetime: 3600, now });
  const claims = await verifyToken(keys, token, now);
  assertEquals(claims, {
    username: "ada",
    iat: seconds,
    exp: seconds + 3600,
    kid: keys.signer!.kid,
  });
});

Deno.test("verifyToken() accepts a signer's clock up to a minute ahead, and a lifetime of 30 days", async () => {
  for (const extra of [{ iat: seconds + 60 }, { exp: seconds + 30 * 86400 }]) {
    const token = await crafted(header(), claims(extra));
    assertEquals((await verifyToken(keys, token, now)).username, "ada");
  }
});

Deno.test("verifyToken() refuses every bad token with its reason", async (t) => {
  const otherKeys = await freshSigningKeys();
  const kid = keys.signer!.kid;
  const cases: [string, () => Promise<string>, string][] = [
    [
      "another key",
      () => signToken(otherKeys, "ada", { lifetime: 60, now }),
      "unknown_kid",
    ],
    ["another key claiming our kid", async () => {
      return await new SignJWT({ username: "ada" }).setProtectedHeader({
        alg: "RS256",
        kid,
      })
        .setIssuedAt(seconds).setExpirationTime(seconds + 60).sign(
          otherKeys.signer!.key,
        );
    }, "bad_signature"],
    [
      "expired",
      () =>
        signToken(keys, "ada", {
          lifetime: 60,
          now: new Date(now.getTime() - 120_000),
        }),
      "expired",
    ],
    ["alg none", () =>
      Promise.resolve(
        new UnsecuredJWT({ username: "ada" }).setIssuedAt(seconds)
          .setExpirationTime(seconds + 60).encode(),
      ), "bad_algorithm"],
    ["HS256 with the public key as secret", async () => {
      return await new SignJWT({ username: "ada" }).setProtectedHeader({
        alg: "HS256",
        kid,
      })
        .setIssuedAt(seconds).setExpirationTime(seconds + 60)
        .sign(new TextEncoder().encode(publicPem));
    }, "bad_algorithm"],
    ["no username", async () => {
      return await new SignJWT({}).setProtectedHeader({ alg: "RS256", kid })
        .setIssuedAt(seconds).setExpirationTime(seconds + 60).sign(
          keys.signer!.key,
        );
    }, "bad_claims"],
    ["no expiry", async () => {
      return await new SignJWT({ username: "ada" }).setProtectedHeader({
        alg: "RS256",
        kid,
      })
        .setIssuedAt(seconds).sign(keys.signer!.key);
    }, "bad_claims"],
    ["garbage", () => Promise.resolve("a.b.c"), "malformed"],
    ["four parts", async () => `${await valid()}.x`, "malformed"],
    ["header not JSON", () => crafted("{alg:RS256}", claims()), "malformed"],
    [
      "an unknown critical extension",
      () =>
        crafted(
          { alg: "RS256", kid, crit: ["x-extra"], "x-extra": 1 },
          claims(),
        ),
      "malformed",
    ],
    ["no kid", () => crafted({ alg: "RS256" }, claims()), "unknown_kid"],
    [
      "kid not a string",
      () => crafted({ alg: "RS256", kid: [kid] }, claims()),
      "unknown_kid",
    ],
    [
      "alg in another case",
      () => crafted({ alg: "rs256", kid }, claims()),
      "bad_algorithm",
    ],
    ["payload an array", () => crafted(header(), "[1]"), "malformed"],
    ["payload not JSON", () => crafted(header(), "ada"), "malformed"],
    [
      "payload not UTF-8",
      () => crafted(header(), new Uint8Array([0x7b, 0xff, 0x7d])),
      "malformed",
    ],
    [
      "exp a string",
      () => crafted(header(), claims({ exp: `${seconds + 60}` })),
      "bad_claims",
    ],
    [
      "no iat",
      () => crafted(header(), claims({ iat: undefined })),
      "bad_claims",
    ],
    [
      "nbf in the future",
      () => crafted(header(), claims({ nbf: seconds + 1 })),
      "bad_claims",
    ],
    [
      "iat ten years ahead",
      () =>
        crafted(
          header(),
          claims({
            iat: seconds + 10 * 365 * 86400,
            exp: seconds + 10 * 365 * 86400 + 60,
          }),
        ),
      "bad_claims",
    ],
    [
      "iat two minutes ahead",
      () =>
        crafted(header(), claims({ iat: seconds + 120, exp: seconds + 180 })),
      "bad_claims",
    ],
    [
      "exp in the year 9999",
      () => crafted(header(), claims({ exp: 253402300799 })),
      "bad_claims",
    ],
    [
      "a lifetime one second over 30 days",
      () => crafted(header(), claims({ exp: seconds + 30 * 86400 + 1 })),
      "bad_claims",
    ],
    [
      "nbf not a number",
      () => crafted(header(), claims({ nbf: "0" })),
      "bad_claims",
    ],
    [
      "exp exactly now",
      () => crafted(header(), claims({ exp: seconds })),
      "expired",
    ],
    [
      "empty username",
      () => crafted(header(), claims({ username: "" })),
      "bad_claims",
    ],
    [
      "username a number",
      () => crafted(header(), claims({ username: 7 })),
      "bad_claims",
    ],
    ["payload changed after signing", async () => {
      const [head, , signature] = (await valid()).split(".");
      return `${head}.${
        base64url.encode(JSON.stringify(claims({ username: "root" })))
      }.${signature}`;
    }, "bad_signature"],
    ["signature one byte short", async () => {
      const [head, body, signature] = (await valid()).split(".");
      const bytes = base64url.decode(signature!);
      return `${head}.${body}.${base64url.encode(bytes.slice(1))}`;
    }, "bad_signature"],
    [
      "signature not base64url",
      async () => `${(await valid()).slice(0, -2)}+/`,
      "malformed",
    ],
    // A 256-byte signature ends in a character carrying 2 bits and 4 spare
    // ones; setting a spare bit spells the same bytes another way.
    ["signature with a stray bit (the same bytes)", async () => {
      const token = await valid();
      const alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      const last = alphabet.indexOf(token.at(-1)!);
      return `${token.slice(0, -1)}${alphabet[last | 1]}`;
    }, "malformed"],
    ["header with a stray bit", async () => {
      const [head, body, signature] = (await valid()).split(".");
      // The header's JSON is 61 bytes: its last character has 4 spare bits.
      const alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      const last = alphabet.indexOf(head!.at(-1)!);
      return `${head!.slice(0, -1)}${alphabet[last | 1]}.${body}.${signature}`;
    }, "malformed"],
    [
      "a device token (typ device+jwt)",
      () => crafted({ ...header(), typ: "device+jwt" }, claims()),
      "bad_claims",
    ],
    ["no typ", () => crafted({ alg: "RS256", kid }, claims()), "bad_claims"],
  ];
  for (const [name, make, code] of cases) {
    await t.step(name, async () => {
      const token = await make();
      const error = await assertRejects(
        () => verifyToken(keys, token, now),
        TokenError,
      );
      assertEquals(error.code, code);
    });
  }
});

Deno.test("verifyToken() accepts a token whose nbf has passed, with the claims it signed", async () => {
  const token = await crafted(header(), claims({ nbf: seconds, extra: "x" }));
  assertEquals(await verifyToken(keys, token, now), {
    username: "ada",
    iat: seconds,
    exp: seconds + 60,
    kid: keys.signer!.kid,
  });
});

Deno.test("bearerToken() accepts only 'Bearer <jwt>', the scheme in any case", async (t) => {
  assertEquals(bearerToken("Bearer a.b.c"), "a.b.c");
  assertEquals(bearerToken("bearer a.b.c"), "a.b.c");
  assertEquals(bearerToken("BEARER a.b.c"), "a.b.c");
  for (
    const header of [
      undefined,
      "",
      "Basic abc",
      "Bearer",
      "Bearer a.b",
      "bearer a.b.c\nX: y",
    ]
  ) {
    await t.step(String(JSON.stringify(header)), () => {
      assertThrows(() => bearerToken(header), TokenError);
    });
  }
});

// A key set whose verifiers count how often a key is looked up: a token
// checked again, not answered from memory, looks its key up again.
function counted(keySet: KeySet): { keySet: KeySet; lookups: () => number } {
  let lookups = 0;
  const verifiers = new Map(keySet.verifiers);
  const get = verifiers.get.bind(verifiers);
  verifiers.get = (kid) => (lookups++, get(kid));
  return { keySet: { ...keySet, verifiers }, lookups: () => lookups };
}

Deno.test("verifyToken() remembers a verified token only until it expires and only for its key set", async () => {
  const { keySet, lookups } = counted(keys);
  const token = await signToken(keys, "ada", { lifetime: 60, now });
  assertEquals((await verifyToken(keySet, token, now)).username, "ada");
  assertEquals(lookups(), 1);
  const soon = new Date(now.getTime() + 30_000);
  for (let i = 0; i < 3; i++) {
    assertEquals((await verifyToken(keySet, token, soon)).username, "ada");
  }
  assertEquals(lookups(), 1, "a remembered token is not checked again");
  const later = new Date(now.getTime() + 61_000);
  assertEquals(
    (await assertRejects(() => verifyToken(keySet, token, later), TokenError))
      .code,
    "expired",
  );
  // Another key set (after a rotation) does not inherit what this one verified.
  const other = await generateKeyPairPem();
  const rotated = await loadKeySet({
    reader: memorySecretReader({ "k.pub": other.publicPem }),
    appEnv: "test",
    signs: false,
  });
  assertEquals(
    (await assertRejects(() => verifyToken(rotated, token, now), TokenError))
      .code,
    "unknown_kid",
  );
});

Deno.test("verifyToken() refuses forged signatures: flipped bits, s + n, zero, the wrong length, another key's", async (t) => {
  const token = await valid();
  const [head, body, signature] = token.split(".") as [string, string, string];
  const bytes = base64url.decode(signature);
  const jwk = keys.jwks.keys[0]!;
  const n = BigInt(`0x${base64url.decode(jwk.n!).toHex()}`);
  const s = BigInt(`0x${bytes.toHex()}`);
  const asBytes = (value: bigint, size: number) =>
    Uint8Array.fromHex(value.toString(16).padStart(size * 2, "0"));
  const other = await freshSigningKeys();
  const otherSignature = (await signToken(other, "ada", { lifetime: 60, now }))
    .split(".")[2]!;
  const flipped = (bit: number) => {
    const copy = bytes.slice();
    copy[bit >> 3]! ^= 1 << (bit & 7);
    return copy;
  };
  const forged: [string, Uint8Array | string][] = [
    ["the first bit flipped", flipped(0)],
    ["the last bit flipped", flipped(bytes.length * 8 - 1)],
    ["zero", new Uint8Array(bytes.length)],
    ["the modulus", asBytes(n, bytes.length)],
    ["a zero byte in front", new Uint8Array([0, ...bytes])],
    ["empty", new Uint8Array()],
    ["another key's signature", otherSignature],
  ];
  // s + n has the same power modulo n; it fits only when s < 2^(8k) - n.
  if (s + n < 1n << BigInt(bytes.length * 8)) {
    forged.push(["s + n", asBytes(s + n, bytes.length)]);
  }
  for (const [name, sig] of forged) {
    await t.step(name, async () => {
      const encoded = typeof sig === "string" ? sig : base64url.encode(sig);
      const error = await assertRejects(
        () => verifyToken(keys, `${head}.${body}.${encoded}`, now),
        TokenError,
      );
      assertEquals(error.code, "bad_signature");
    });
  }
});

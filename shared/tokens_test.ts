import { SignJWT, UnsecuredJWT } from "jose";
import {
  assertEquals,
  assertRejects,
  assertThrows,
  freshSigningKeys,
} from "./testing.ts";
import { generateKeyPairPem } from "./key_gen.ts";
import { loadKeySet } from "./key_set.ts";
import { memorySecretReader } from "./secrets.ts";
import { TEST_PUBLIC_KEY_PEM } from "./test_keys.ts";
import { bearerToken, signToken, TokenError, verifyToken } from "./tokens.ts";

const keys = await loadKeySet({
  reader: memorySecretReader({}),
  appEnv: "test",
  signs: true,
});
const now = new Date("2026-11-25T12:00:00Z");
const seconds = now.getTime() / 1000;

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
        .sign(new TextEncoder().encode(TEST_PUBLIC_KEY_PEM));
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

Deno.test("bearerToken() accepts only 'Bearer <jwt>'", async (t) => {
  assertEquals(bearerToken("Bearer a.b.c"), "a.b.c");
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

Deno.test("verifyToken() remembers a verified token only until it expires and only for its key set", async () => {
  const token = await signToken(keys, "ada", { lifetime: 60, now });
  assertEquals((await verifyToken(keys, token, now)).username, "ada");
  assertEquals(
    (await verifyToken(keys, token, new Date(now.getTime() + 30_000))).username,
    "ada",
  );
  const later = new Date(now.getTime() + 61_000);
  assertEquals(
    (await assertRejects(() => verifyToken(keys, token, later), TokenError))
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

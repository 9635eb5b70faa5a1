import {
  assertEquals,
  assertOk,
  assertRejects,
  testKeyPems,
} from "@thoughts/testing";
import { generateKeyPairPem } from "./generate.ts";
import { KeyError } from "./key_error.ts";
import { keyId, loadKeySet } from "./key_set.ts";
import { memorySecretReader, type SecretReader } from "../config/secrets.ts";

const real = await generateKeyPairPem();
const realFiles = {
  "private_key.pem": real.privatePem,
  "public_key.pub": real.publicPem,
};

Deno.test("loadKeySet() refuses a folder without keys in every APP_ENV, naming the commands that make them", async (t) => {
  for (const appEnv of ["production", "development", "test"] as const) {
    await t.step(appEnv, async () => {
      const error = await assertRejects(
        () =>
          loadKeySet({
            reader: memorySecretReader({}),
            appEnv,
            signs: false,
          }),
        KeyError,
        "No token keys in 'memory': expected a '*.pub' key; run 'deno task dev' (development keys) or 'deno task secrets' (a cluster's)",
      );
      assertEquals(error.code, "missing");
    });
  }
  await t.step("a signer without its private key", async () => {
    const reader = memorySecretReader({ "public_key.pub": real.publicPem });
    await assertRejects(
      () => loadKeySet({ reader, appEnv: "test", signs: true }),
      KeyError,
      "expected 'private_key.pem' and a '*.pub' key",
    );
  });
});

Deno.test("loadKeySet() refuses the test keys kept in git in production only", async () => {
  const { privatePem, publicPem } = await testKeyPems();
  const reader = memorySecretReader({
    "private_key.pem": privatePem,
    "public_key.pub": publicPem,
  });
  const error = await assertRejects(
    () => loadKeySet({ reader, appEnv: "production", signs: true }),
    KeyError,
    "Refusing the test key kept in git (testing/testdata) in production",
  );
  assertEquals(error.code, "test_key");
  assertOk(!error.message.includes("BEGIN"));
  for (const appEnv of ["development", "test"] as const) {
    const keys = await loadKeySet({ reader, appEnv, signs: true });
    assertEquals(keys.signer?.kid, await keyId(publicPem));
  }
});

Deno.test("loadKeySet() loads mounted keys by kid", async () => {
  const other = await generateKeyPairPem();
  const reader = memorySecretReader({
    ...realFiles,
    "next.pub": other.publicPem,
  });
  const keys = await loadKeySet({ reader, appEnv: "production", signs: true });
  const kid = await keyId(real.publicPem);
  assertEquals(keys.signer?.kid, kid);
  assertEquals(
    [...keys.verifiers.keys()].sort(),
    [kid, await keyId(other.publicPem)].sort(),
  );
  assertEquals(
    keys.jwks.keys.map((k) => k.kid).sort(),
    [...keys.verifiers.keys()].sort(),
  );
  assertOk(keys.jwks.keys.every((k) => k.d === undefined && k.alg === "RS256"));
});

Deno.test("loadKeySet() refuses a private key whose public half is not published", async () => {
  const other = await generateKeyPairPem();
  const reader = memorySecretReader({
    ...realFiles,
    "public_key.pub": other.publicPem,
  });
  await assertRejects(
    () => loadKeySet({ reader, appEnv: "production", signs: true }),
    KeyError,
    "is not among the published '*.pub' keys",
  );
});

Deno.test("loadKeySet() names an unreadable key file without its content", async () => {
  const reader = memorySecretReader({
    "public_key.pub": "-----BEGIN PUBLIC KEY-----\nsecretgarbage",
  });
  const error = await assertRejects(
    () => loadKeySet({ reader, appEnv: "production", signs: false }),
    KeyError,
    "Cannot read public key file: 'public_key.pub'",
  );
  assertOk(!error.message.includes("secretgarbage"));
});

Deno.test("loadKeySet() refuses a public key too short for RS256, naming its size", async () => {
  const short = await generateKeyPairPem(1024);
  const reader = memorySecretReader({ "old.pub": short.publicPem });
  await assertRejects(
    () => loadKeySet({ reader, appEnv: "production", signs: false }),
    KeyError,
    "Cannot read public key file: 'old.pub' (RSA modulus too short for RS256: 1024 bits (at least 2048))",
  );
});

Deno.test("loadKeySet() of a verifier never reads the private key", async () => {
  const inner = memorySecretReader(realFiles);
  const reader: SecretReader = {
    ...inner,
    read(name) {
      if (name === "private_key.pem") {
        throw new Error("Verifier read the private key");
      }
      return inner.read(name);
    },
  };
  const keys = await loadKeySet({ reader, appEnv: "production", signs: false });
  assertEquals([keys.signer, keys.verifiers.size], [undefined, 1]);
});

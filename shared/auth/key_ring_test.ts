import {
  assertEquals,
  assertOk,
  createSecretDir,
  testKeyPems,
} from "@thoughts/testing";
import { memoryLogger } from "../log/log.ts";
import { generateKeyPairPem } from "./generate.ts";
import { KeyRing } from "./key_ring.ts";
import { keyId } from "./key_set.ts";
import { dirSecretReader } from "../config/secrets.ts";

const [a, b] = await Promise.all([generateKeyPairPem(), generateKeyPairPem()]);
const testKeys = await testKeyPems();
const [kidA, kidB] = await Promise.all([
  keyId(a.publicPem),
  keyId(b.publicPem),
]);

async function ring(files: Record<string, string>, signs = true) {
  const secrets = await createSecretDir(files);
  const { logger, records } = memoryLogger();
  const keys = await KeyRing.open({
    reader: dirSecretReader(secrets.dir),
    appEnv: "production",
    signs,
    logger,
    intervalMs: 50,
  });
  return {
    secrets,
    keys,
    records,
    kids: () => [...keys.current().verifiers.keys()].sort(),
  };
}

Deno.test("KeyRing reloads after the kubelet's ..data symlink swap", async () => {
  const r = await ring({
    "private_key.pem": a.privatePem,
    "public_key.pub": a.publicPem,
  });
  await using _ = r.secrets;
  assertEquals([r.kids(), r.keys.current().signer?.kid], [[kidA], kidA]);
  assertEquals(await r.keys.refresh(), false, "no change, no reload");
  await r.secrets.update({
    "private_key.pem": a.privatePem,
    "public_key.pub": a.publicPem,
    "public_key_next.pub": b.publicPem,
  });
  assertEquals(await r.keys.refresh(), true);
  assertEquals(r.kids(), [kidA, kidB].sort());
  await r.secrets.update({
    "private_key.pem": b.privatePem,
    "public_key.pub": b.publicPem,
  });
  assertEquals(await r.keys.refresh(), true);
  assertEquals([r.kids(), r.keys.current().signer?.kid], [[kidB], kidB]);
});

Deno.test("KeyRing keeps the last good keys when new files are broken or refused", async (t) => {
  const r = await ring({
    "private_key.pem": a.privatePem,
    "public_key.pub": a.publicPem,
  });
  await using _ = r.secrets;
  const cases: [string, Record<string, string>, string][] = [
    ["a half-written public key", {
      "private_key.pem": a.privatePem,
      "public_key.pub": a.publicPem.slice(0, 100),
    }, "Cannot read public key file"],
    ["a private key whose public half is not published", {
      "private_key.pem": b.privatePem,
      "public_key.pub": a.publicPem,
    }, "is not among the published"],
    ["the test keys in production", {
      "private_key.pem": testKeys.privatePem,
      "public_key.pub": testKeys.publicPem,
    }, "Refusing the test key kept in git"],
    ["no keys at all", {}, "No token keys"],
  ];
  for (const [name, files, warning] of cases) {
    await t.step(name, async () => {
      await r.secrets.update(files);
      assertEquals(await r.keys.refresh(), false);
      assertEquals([r.kids(), r.keys.current().signer?.kid], [[kidA], kidA]);
      assertOk(
        String(r.records.at(-1)?.error).includes(warning),
        JSON.stringify(r.records.at(-1)),
      );
      assertOk(
        !JSON.stringify(r.records).includes("PRIVATE KEY"),
        "no key material in logs",
      );
    });
  }
  await r.secrets.update({
    "private_key.pem": a.privatePem,
    "public_key.pub": a.publicPem,
    "b.pub": b.publicPem,
  });
  assertEquals(
    await r.keys.refresh(),
    true,
    "recovers once the files are good",
  );
});

Deno.test("KeyRing judges each public key file on its own: a broken file does not stop a retirement", async () => {
  const r = await ring({
    "private_key.pem": a.privatePem,
    "public_key.pub": a.publicPem,
    "public_key_old.pub": b.publicPem,
  });
  await using _ = r.secrets;
  assertEquals(r.kids(), [kidA, kidB].sort());
  // The old key is retired while a half-written new file sits beside it.
  await r.secrets.update({
    "private_key.pem": a.privatePem,
    "public_key.pub": a.publicPem,
    "public_key_next.pub": "-----BEGIN PUBLIC KEY-----\nMIIBIjAN",
  });
  assertEquals(await r.keys.refresh(), true);
  assertEquals(r.kids(), [kidA], "the retired key is refused at once");
  assertOk(
    r.records.some((record) =>
      String(record.error).includes(
        "Cannot read public key file: 'public_key_next.pub'; skipped",
      )
    ),
    JSON.stringify(r.records),
  );
  // A file that breaks keeps its last good version while it is there.
  await r.secrets.update({
    "private_key.pem": a.privatePem,
    "public_key.pub": a.publicPem,
    "public_key_next.pub": b.publicPem,
  });
  assertEquals(await r.keys.refresh(), true);
  assertEquals(r.kids(), [kidA, kidB].sort());
  await r.secrets.update({
    "private_key.pem": a.privatePem,
    "public_key.pub": a.publicPem,
    "public_key_next.pub": b.publicPem.slice(0, 60),
  });
  assertEquals(await r.keys.refresh(), false, "the same keys stay in force");
  assertEquals(r.kids(), [kidA, kidB].sort());
  assertOk(!JSON.stringify(r.records).includes("PRIVATE KEY"));
});

Deno.test("KeyRing.start() picks up a change on its own", async () => {
  const r = await ring({ "public_key.pub": a.publicPem }, false);
  await using _ = r.secrets;
  r.keys.start();
  try {
    await r.secrets.update({
      "public_key.pub": a.publicPem,
      "public_key_next.pub": b.publicPem,
    });
    const deadline = Date.now() + 2000;
    while (r.kids().length < 2 && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 20));
    }
    assertEquals(r.kids(), [kidA, kidB].sort());
  } finally {
    r.keys.stop();
  }
});

import { decodeProtectedHeader } from "jose";
import { generateAdminToken, generateKeyPairPem } from "@thoughts/shared/auth";
import { keyId } from "@thoughts/shared/auth";
import {
  assertEquals,
  assertOk,
  createSecretDir,
  startBackends,
} from "@thoughts/testing";

async function kidsOf(
  url: string,
): Promise<{ kids: string[]; signingKid?: string }> {
  return await (await fetch(`${url}/admin/version/`)).json();
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 5000,
): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return Math.round(performance.now() - started);
}

Deno.test("the signing key rotates with no restart and no failed request", async () => {
  const [a, b] = await Promise.all([
    generateKeyPairPem(),
    generateKeyPairPem(),
  ]);
  const [kidA, kidB] = await Promise.all([
    keyId(a.publicPem),
    keyId(b.publicPem),
  ]);
  await using usersKeys = await createSecretDir({
    "private_key.pem": a.privatePem,
    "public_key.pub": a.publicPem,
    "admin_token": generateAdminToken(),
  });
  await using thoughtsKeys = await createSecretDir({
    "public_key.pub": a.publicPem,
  });
  await using backends = await startBackends({
    common: { APP_ENV: "production" },
    users: { SECRETS_DIR: usersKeys.dir },
    thoughts: { SECRETS_DIR: thoughtsKeys.dir },
  });
  const { users, thoughts } = backends;
  await backends.createUser("ada", "correct horse");
  const login = async () =>
    (await backends.login("ada", "correct horse")).slice(7);
  const accepted = async (token: string) => {
    const res = await fetch(`${thoughts.url}/api/me/thoughts/`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    await res.body?.cancel();
    return res.status === 200;
  };
  const tokenA = await login();
  assertEquals(decodeProtectedHeader(tokenA).kid, kidA);

  // A client logs in and calls the thoughts service throughout, with its
  // newest token and, while it is still valid, the first one.
  const stats = {
    requests: 0,
    failures: [] as string[],
    kidsSeen: new Set<string>(),
  };
  let running = true;
  let oldTokenValid = true;
  const client = (async () => {
    while (running) {
      try {
        const token = await login();
        stats.kidsSeen.add(String(decodeProtectedHeader(token).kid));
        if (!(await accepted(token))) {
          stats.failures.push(`new token ${decodeProtectedHeader(token).kid}`);
        }
        const checkOld = oldTokenValid;
        if (checkOld && !(await accepted(tokenA)) && oldTokenValid) {
          stats.failures.push("old token");
        }
        stats.requests += checkOld ? 3 : 2;
      } catch (error) {
        stats.failures.push((error as Error).message);
      }
    }
  })();

  const timings: Record<string, number> = {};
  // 1. Publish the new public key next to the old one.
  await usersKeys.update({
    "private_key.pem": a.privatePem,
    "public_key.pub": a.publicPem,
    "public_key_next.pub": b.publicPem,
  });
  await thoughtsKeys.update({
    "public_key.pub": a.publicPem,
    "public_key_next.pub": b.publicPem,
  });
  const [usersSeesB, thoughtsSeesB] = await Promise.all([
    waitFor(
      "users to list the new kid",
      async () => (await kidsOf(users.url)).kids.includes(kidB),
    ),
    waitFor(
      "thoughts to list the new kid",
      async () => (await kidsOf(thoughts.url)).kids.includes(kidB),
    ),
  ]);
  Object.assign(timings, { usersSeesB, thoughtsSeesB });
  assertOk(
    usersSeesB <= 2000 && thoughtsSeesB <= 2000,
    JSON.stringify(timings),
  );
  assertEquals(
    (await kidsOf(users.url)).signingKid,
    kidA,
    "still signing with the old key",
  );

  // 2. Switch the private key.
  await usersKeys.update({
    "private_key.pem": b.privatePem,
    "public_key.pub": a.publicPem,
    "public_key_next.pub": b.publicPem,
  });
  timings.usersSignsB = await waitFor(
    "users to sign with the new key",
    async () => (await kidsOf(users.url)).signingKid === kidB,
  );
  await waitFor(
    "the client to get a new-key token",
    () => Promise.resolve(stats.kidsSeen.has(kidB)),
  );
  assertEquals(decodeProtectedHeader(await login()).kid, kidB);
  assertOk(
    await accepted(tokenA),
    "old tokens are accepted until the old key is retired",
  );

  // 3. Retire the old public key.
  oldTokenValid = false;
  await usersKeys.update({
    "private_key.pem": b.privatePem,
    "public_key.pub": b.publicPem,
  });
  await thoughtsKeys.update({ "public_key.pub": b.publicPem });
  const [usersDropsA, thoughtsDropsA] = await Promise.all([
    waitFor(
      "users to drop the old kid",
      async () => !(await kidsOf(users.url)).kids.includes(kidA),
    ),
    waitFor(
      "thoughts to drop the old kid",
      async () => !(await kidsOf(thoughts.url)).kids.includes(kidA),
    ),
  ]);
  Object.assign(timings, { usersDropsA, thoughtsDropsA });
  assertEquals(
    await accepted(tokenA),
    false,
    "the old token is refused once its key is retired",
  );
  assertOk(await accepted(await login()));

  running = false;
  await client;
  console.log(
    `Rotation: ${stats.requests} requests, ${stats.failures.length} failed; pick-up ms ${
      JSON.stringify(timings)
    }`,
  );
  assertEquals(stats.failures, []);
  assertOk(stats.requests >= 10, `only ${stats.requests} requests`);
  for (const service of [users, thoughts]) {
    assertOk(!service.output().includes("PRIVATE KEY"));
  }
});

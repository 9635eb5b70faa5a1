import { keyId } from "@thoughts/shared/auth";
import {
  assertEquals,
  assertStringIncludes,
  createSecretDir,
  runDeno,
  startBackends,
} from "@thoughts/testing";

const cli = (args: string[]) =>
  runDeno(["run", "-A", "tools/keys/rotate_keys.ts", ...args]);

const read = (path: string) => Deno.readTextFile(path);

Deno.test("deno task rotate-keys walks the rotation, checking each step against the live services", async () => {
  const secrets = await Deno.makeTempDir({ prefix: "thoughts_rotate_" });
  const generated = await runDeno([
    "run",
    "-A",
    "tools/keys/secrets.ts",
    "--out",
    secrets,
  ]);
  assertEquals(generated.code, 0);
  const [oldPrivate, oldPublic] = await Promise.all([
    read(`${secrets}/private_key.pem`),
    read(`${secrets}/public_key.pub`),
  ]);
  await using usersKeys = await createSecretDir({
    "private_key.pem": oldPrivate,
    "public_key.pub": oldPublic,
  });
  await using thoughtsKeys = await createSecretDir({
    "public_key.pub": oldPublic,
  });
  await using backends = await startBackends({
    common: { APP_ENV: "production" },
    users: { SECRETS_DIR: usersKeys.dir },
    thoughts: { SECRETS_DIR: thoughtsKeys.dir },
  });
  const { users, thoughts } = backends;
  const common = [
    "--secrets",
    secrets,
    "--service",
    `users=${users.url}`,
    "--service",
    `thoughts=${thoughts.url}`,
    "--wait",
    "20",
  ];

  const early = await cli(["switch", ...common]);
  assertEquals(early.code, 1);
  assertStringIncludes(early.stderr, "no next key");

  // Publish: the CLI generates the next pair and waits; the cluster applies it.
  const publishing = cli(["publish", ...common]);
  while (
    !(await Deno.stat(`${secrets}/next/public_key.pub`).then(
      () => true,
      () => false,
    ))
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const [nextPrivate, nextPublic] = await Promise.all([
    read(`${secrets}/next/private_key.pem`),
    read(`${secrets}/next/public_key.pub`),
  ]);
  await usersKeys.update({
    "private_key.pem": oldPrivate,
    "public_key.pub": oldPublic,
    "public_key_next.pub": nextPublic,
  });
  await thoughtsKeys.update({
    "public_key.pub": oldPublic,
    "public_key_next.pub": nextPublic,
  });
  const published = await publishing;
  assertEquals(published.code, 0, published.stderr);
  assertStringIncludes(
    published.stdout,
    `--from-file=public_key_next.pub=${secrets}/next/public_key.pub`,
  );
  assertStringIncludes(published.stdout, "Step 'publish' done");

  const tooEarly = await cli(["retire", ...common]);
  assertEquals(tooEarly.code, 1);
  assertStringIncludes(
    tooEarly.stderr,
    `users still signs with '${await keyId(oldPublic)}'`,
  );

  const switching = cli(["switch", ...common]);
  await usersKeys.update({
    "private_key.pem": nextPrivate,
    "public_key.pub": oldPublic,
    "public_key_next.pub": nextPublic,
  });
  const switched = await switching;
  assertEquals(switched.code, 0, switched.stderr);
  assertStringIncludes(
    switched.stdout,
    `--from-file=private_key.pem=${secrets}/next/private_key.pem`,
  );

  const lifetime = await cli(["retire", ...common]);
  assertEquals(lifetime.code, 1);
  assertStringIncludes(
    lifetime.stderr,
    "tokens signed with the old key may still be valid until",
  );

  const retiring = cli(["retire", ...common, "--force"]);
  await usersKeys.update({
    "private_key.pem": nextPrivate,
    "public_key.pub": nextPublic,
  });
  await thoughtsKeys.update({ "public_key.pub": nextPublic });
  const retired = await retiring;
  assertEquals(retired.code, 0, retired.stderr);
  assertStringIncludes(retired.stdout, "The rotation is complete");
  assertEquals(await read(`${secrets}/public_key.pub`), nextPublic);
  assertEquals(
    (await fetch(`${thoughts.url}/admin/version/`).then((r) => r.json())).kids,
    [await keyId(nextPublic)],
  );
  await Deno.remove(secrets, { recursive: true });
});

import { assertEquals, assertRejects } from "@thoughts/testing";
import { memorySecretReader } from "../config/secrets.ts";
import { readAdminToken } from "./admin_token.ts";
import { KeyError } from "./key_error.ts";

const testToken = (await Deno.readTextFile(
  new URL("../../testing/testdata/keys/admin_token", import.meta.url),
)).trim();
const good = "A".repeat(43);

Deno.test("readAdminToken reads the file trimmed, and nothing when it is absent", async () => {
  assertEquals(
    await readAdminToken(
      memorySecretReader({ admin_token: `${good}\n` }),
      "production",
    ),
    good,
  );
  assertEquals(
    await readAdminToken(memorySecretReader({}), "production"),
    undefined,
  );
});

Deno.test("readAdminToken refuses a short token in every APP_ENV, and the test token in production", async () => {
  for (const appEnv of ["production", "development", "test"]) {
    const error = await assertRejects(
      () =>
        readAdminToken(
          memorySecretReader({ admin_token: "x".repeat(31) }),
          appEnv,
        ),
      KeyError,
    );
    assertEquals(error.code, "weak");
  }
  const reader = memorySecretReader({ admin_token: testToken });
  assertEquals(await readAdminToken(reader, "test"), testToken);
  const error = await assertRejects(
    () => readAdminToken(reader, "production"),
    KeyError,
    "'admin_token' in 'memory' is the test token from git; run 'deno task secrets'",
  );
  assertEquals(error.code, "test_key");
});

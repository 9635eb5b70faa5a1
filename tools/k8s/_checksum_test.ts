import { assertEquals, assertMatch, assertOk } from "@thoughts/testing";
import { configChecksum } from "./_checksum.ts";

Deno.test("the config checksum follows the values, not the keys' order", async () => {
  const sum = await configChecksum({ A: "1", B: "2" });
  assertMatch(sum, /^sha256:[0-9a-f]{64}$/);
  assertEquals(await configChecksum({ B: "2", A: "1" }), sum);
  assertOk(await configChecksum({ A: "1", B: "3" }) !== sum);
  assertOk(await configChecksum({ A: "1" }) !== sum);
});

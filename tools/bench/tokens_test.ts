import { assertOk } from "@thoughts/shared/testing";
import { timeTokens } from "./tokens.ts";

Deno.test("timeTokens() times first checks, repeated checks and the bare signature checks", async () => {
  const { firstUs, firstRangeUs, repeatedUs, signatureUs, webCryptoUs } =
    await timeTokens(20, 3);
  for (const us of [firstUs, repeatedUs, signatureUs, webCryptoUs]) {
    assertOk(Number.isFinite(us) && us > 0, `not a time: ${us}`);
  }
  assertOk(
    firstRangeUs[0] <= firstUs && firstUs <= firstRangeUs[1],
    `median ${firstUs} outside its rounds ${firstRangeUs}`,
  );
});

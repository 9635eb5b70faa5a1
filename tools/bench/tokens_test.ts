import { assertOk } from "@thoughts/shared/testing";
import { timeTokens } from "./tokens.ts";

Deno.test("timeTokens() times first checks, repeated checks and the bare signature check", async () => {
  const { firstUs, repeatedUs, signatureUs } = await timeTokens(20);
  for (const us of [firstUs, repeatedUs, signatureUs]) {
    assertOk(Number.isFinite(us) && us > 0, `not a time: ${us}`);
  }
});

import { verifyToken } from "@thoughts/shared/auth";
import { assertEquals, assertOk } from "@thoughts/testing";
import { timeTokens, type Verify } from "./tokens.ts";

Deno.test("timeTokens() times tokens never seen, then the same tokens again, each round", async () => {
  const count = 4;
  const rounds = 3;
  const calls: { token: string; seen: boolean }[] = [];
  const seen = new Set<string>();
  const verify: Verify = async (keys, token, now) => {
    calls.push({ token, seen: seen.has(token) });
    seen.add(token);
    return await verifyToken(keys, token, now);
  };
  const { firstUs, firstRangeUs, repeatedUs, webCryptoUs } = await timeTokens(
    count,
    rounds,
    verify,
  );
  // The warm-up slice, then per round: `count` new tokens, then those again.
  const expected = [
    ...Array(count).fill(false),
    ...Array.from({ length: rounds }, () => [
      ...Array(count).fill(false),
      ...Array(count * 10).fill(true),
    ]).flat(),
  ];
  assertEquals(calls.map((call) => call.seen), expected);
  assertEquals(seen.size, count * (rounds + 1));
  for (const us of [firstUs, repeatedUs, webCryptoUs]) {
    assertOk(Number.isFinite(us) && us > 0, `not a time: ${us}`);
  }
  assertOk(
    firstRangeUs[0] <= firstUs && firstUs <= firstRangeUs[1],
    `median ${firstUs} outside its rounds ${firstRangeUs}`,
  );
});

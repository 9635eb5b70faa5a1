import { assertEquals, assertRejects } from "@thoughts/testing";
import { BusyError, createLimit } from "./limit.ts";

function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => open = resolve);
  return { opened, open };
}

Deno.test("a limit runs a few at once, queues a few and refuses the rest", async () => {
  const limit = createLimit({ running: 2, waiting: 1 });
  const { opened, open } = gate();
  let inFlight = 0;
  let most = 0;
  const order: number[] = [];
  const job = (n: number) =>
    limit(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await opened;
      order.push(n);
      inFlight--;
      return n;
    });
  const accepted = [job(1), job(2), job(3)];
  await assertRejects(() => job(4), BusyError, "Too much of this work at once");
  open();
  assertEquals(await Promise.all(accepted), [1, 2, 3]);
  assertEquals(most, 2);
  assertEquals(order, [1, 2, 3]);
});

Deno.test("a failing job passes its turn on", async () => {
  const limit = createLimit({ running: 1, waiting: 1 });
  const { opened, open } = gate();
  const failing = limit(async () => {
    await opened;
    throw new Error("Broken");
  });
  const next = limit(() => Promise.resolve("ran"));
  open();
  await assertRejects(() => failing, Error, "Broken");
  assertEquals(await next, "ran");
  // Nothing is left holding a turn.
  assertEquals(await limit(() => Promise.resolve(1)), 1);
});

Deno.test("a busy refusal carries a code", async () => {
  const limit = createLimit({ running: 0, waiting: 0 });
  const error = await limit(() => Promise.resolve()).catch((e) => e);
  assertEquals(error.code, "busy");
});

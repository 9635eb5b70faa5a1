import { assertEquals, assertRejects } from "@thoughts/testing";
import { createHashGate, HasherBusyError } from "./hash_gate.ts";

const bounds = { concurrency: 1, queue: 2, trustedQueue: 2, perClient: 2 };

Deno.test("a trusted caller waits in its own queue and goes before the strangers queued earlier", async () => {
  const gate = createHashGate(bounds);
  const order: string[] = [];
  const turn = async (name: string, trusted: boolean) => {
    const leave = await gate.enter({ trusted, client: name });
    order.push(name);
    leave();
  };
  const leave = await gate.enter({ trusted: false, client: "first" });
  const waiting = [
    turn("stranger 1", false),
    turn("stranger 2", false),
    turn("owner", true),
  ];
  // Both strangers' places are taken: a third is refused, the owner is not.
  await assertRejects(
    () => gate.enter({ trusted: false, client: "stranger 3" }),
    HasherBusyError,
  );
  leave();
  await Promise.all(waiting);
  assertEquals(order, ["owner", "stranger 1", "stranger 2"]);
});

Deno.test("one client holds at most its share, running or waiting; leaving twice gives back one turn", async () => {
  const gate = createHashGate({ ...bounds, queue: 10 });
  const first = await gate.enter({ trusted: false, client: "203.0.113.9" });
  const second = gate.enter({ trusted: false, client: "203.0.113.9" });
  await assertRejects(
    () => gate.enter({ trusted: false, client: "203.0.113.9" }),
    HasherBusyError,
  );
  const other = gate.enter({ trusted: false, client: "198.51.100.7" });
  first();
  first();
  (await second)();
  (await other)();
  const again = await gate.enter({ trusted: false, client: "203.0.113.9" });
  again();
});

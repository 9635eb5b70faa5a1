import { assertEquals } from "@thoughts/testing";
import {
  isDone,
  readyFor,
  secretFiles,
  type ServiceKeys,
} from "./_rotation_plan.ts";

const svc = (
  service: string,
  kids?: string[],
  signingKid?: string | null,
): ServiceKeys => ({
  service,
  url: `http://${service}`,
  kids,
  signingKid,
});

Deno.test("readyFor() refuses to switch until every service accepts the new key", () => {
  const before = [
    svc("users", ["old", "new"], "old"),
    svc("thoughts", ["old"]),
    svc("frontend", undefined),
  ];
  const result = readyFor("switch", before, "new");
  assertEquals(result, {
    ready: false,
    reasons: [
      "thoughts does not accept the new key yet (kids: old)",
      "frontend is unreachable at http://frontend: no answer",
    ],
  });
  const after = [
    svc("users", ["old", "new"], "old"),
    svc("thoughts", ["old", "new"]),
    svc("frontend", ["old", "new"]),
  ];
  assertEquals(readyFor("switch", after, "new"), { ready: true });
  assertEquals(readyFor("retire", after, "new"), {
    ready: false,
    reasons: ["users still signs with 'old'"],
  });
});

Deno.test("isDone() follows each phase", async (t) => {
  const published = [
    svc("users", ["old", "new"], "old"),
    svc("thoughts", ["old", "new"]),
  ];
  const switched = [
    svc("users", ["old", "new"], "new"),
    svc("thoughts", ["old", "new"]),
  ];
  const retired = [svc("users", ["new"], "new"), svc("thoughts", ["new"])];
  const table: [string, ServiceKeys[], boolean, boolean, boolean][] = [
    ["published", published, true, false, false],
    ["switched", switched, true, true, false],
    ["retired", retired, true, true, true],
  ];
  for (const [name, state, publish, switchDone, retire] of table) {
    await t.step(name, () => {
      assertEquals(
        [
          isDone("publish", state, "new", "old"),
          isDone("switch", state, "new", "old"),
          isDone("retire", state, "new", "old"),
        ],
        [publish, switchDone, retire],
      );
    });
  }
});

Deno.test("secretFiles() keeps the password and moves the keys through the slots", () => {
  const current = {
    password: "pw",
    privateKey: "old.pem",
    publicKey: "old.pub",
  };
  const next = { privateKey: "new.pem", publicKey: "new.pub" };
  assertEquals(secretFiles("publish", current, next), {
    "postgres-password": "pw",
    "private_key.pem": "old.pem",
    "public_key.pub": "old.pub",
    "public_key_next.pub": "new.pub",
  });
  assertEquals(
    secretFiles("switch", current, next)["private_key.pem"],
    "new.pem",
  );
  assertEquals(secretFiles("retire", current, next), {
    "postgres-password": "pw",
    "private_key.pem": "new.pem",
    "public_key.pub": "new.pub",
  });
});

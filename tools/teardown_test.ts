import { assertEquals } from "@thoughts/testing";
import { Teardown } from "./teardown.ts";

const teardownModule = new URL("./teardown.ts", import.meta.url).href;

Deno.test("the steps run newest first, once, and a failing one does not stop the rest", async () => {
  const errors: unknown[] = [];
  const teardown = new Teardown((error) => errors.push(error));
  const undone: string[] = [];
  teardown.defer(() => undone.push("cluster"));
  teardown.defer(() => {
    throw new Error("gone");
  });
  teardown.defer(() => undone.push("server"));
  await Promise.all([teardown.run(), teardown.run()]);
  await teardown.run();
  assertEquals(undone, ["server", "cluster"]);
  assertEquals(errors.map((e) => (e as Error).message), ["gone"]);
  // Started after the teardown ran: undone at once.
  teardown.defer(() => undone.push("late"));
  await new Promise((r) => setTimeout(r, 0));
  assertEquals(undone, ["server", "cluster", "late"]);
});

Deno.test("main() runs the teardown when the work fails, and passes the error on", async () => {
  const teardown = new Teardown();
  const undone: string[] = [];
  const failed = await teardown.main(() => {
    teardown.defer(() => undone.push("server"));
    return Promise.reject(new Error("load failed"));
  }).catch((error: Error) => error.message);
  assertEquals([failed, undone], ["load failed", ["server"]]);
});

// A task whose work fails because it was stopped (a server it loads is gone
// the moment the teardown begins) must end with the stop's code and its
// teardown done, never with the work's error.
Deno.test("SIGTERM mid-work runs the teardown and exits 143, whatever the work then throws", async () => {
  const script = `
    import { Teardown } from "${teardownModule}";
    const teardown = new Teardown();
    teardown.exitOnStop((why) => console.error("stopping on " + why));
    let serverUp = true;
    await teardown.main(async () => {
      teardown.defer(async () => {
        await new Promise((r) => setTimeout(r, 50));
        console.error("cluster stopped");
      });
      teardown.defer(() => { serverUp = false; console.error("server stopped"); });
      console.error("working");
      while (true) {
        await new Promise((r) => setTimeout(r, 5));
        if (!serverUp) throw new Error("the server is gone");
      }
    });
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stderr: "piped",
    stdout: "null",
  }).spawn();
  const lines: string[] = [];
  const reader = child.stderr.pipeThrough(new TextDecoderStream());
  for await (const chunk of reader) {
    lines.push(chunk);
    if (lines.join("") === "working\n") child.kill("SIGTERM");
  }
  const { code } = await child.status;
  assertEquals(
    [code, lines.join("")],
    [143, "working\nstopping on SIGTERM\nserver stopped\ncluster stopped\n"],
  );
});

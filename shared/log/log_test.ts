import { assertEquals, assertOk } from "@thoughts/testing";
import { bufferedStdout, jsonLogger } from "./log.ts";

const at = () => new Date("2026-11-25T12:00:00.000Z");

Deno.test("jsonLogger() writes one JSON object per line with the fixed keys first", () => {
  const lines: string[] = [];
  jsonLogger("users", (line) => lines.push(line), at)("info", "Request", {
    status: 200,
    ms: 1.5,
  });
  assertEquals(lines, [
    '{"time":"2026-11-25T12:00:00.000Z","level":"info","service":"users","message":"Request","status":200,"ms":1.5}',
  ]);
});

Deno.test("jsonLogger() escapes values, so a request path cannot forge a field or a line", () => {
  const lines: string[] = [];
  const path = '/x","level":"error"}\n{"forged":true';
  jsonLogger("thoughts", (line) => lines.push(line), at)("info", "Request", {
    path,
    'we"ird': "ok",
  });
  assertEquals(lines.length, 1);
  assertEquals(lines[0]!.includes("\n"), false);
  const record = JSON.parse(lines[0]!);
  assertEquals(record.path, path);
  assertEquals(record.level, "info");
  assertEquals(record['we"ird'], "ok");
});

Deno.test("jsonLogger() leaves out fields with no JSON form", () => {
  const lines: string[] = [];
  jsonLogger("users", (line) => lines.push(line), at)("error", "Failed", {
    stack: undefined,
    callback: () => {},
    nested: { a: [1, null] },
  });
  assertEquals(JSON.parse(lines[0]!), {
    time: "2026-11-25T12:00:00.000Z",
    level: "error",
    service: "users",
    message: "Failed",
    nested: { a: [1, null] },
  });
});

Deno.test("jsonLogger() stamps each line with its clock's exact time, also across seconds and backwards jumps", () => {
  const times = [
    "2026-11-25T12:00:00.000Z",
    "2026-11-25T12:00:00.007Z",
    "2026-11-25T12:00:00.999Z",
    "2026-11-25T12:00:01.000Z",
    "2026-11-25T12:00:01.050Z",
    "2026-11-25T11:59:59.999Z",
    "2026-11-25T12:00:01.051Z",
    "2027-01-01T00:00:00.120Z",
  ];
  let i = 0;
  const lines: string[] = [];
  const logger = jsonLogger(
    "users",
    (line) => lines.push(line),
    () => new Date(times[i++]!),
  );
  for (const _ of times) logger("info", "Tick");
  assertEquals(lines.map((line) => JSON.parse(line).time), times);
});

Deno.test("bufferedStdout() writes every line whole and in order, across buffer boundaries", async () => {
  const chunks: string[] = [];
  const out = { write: (text: string) => chunks.push(text) };
  const write = bufferedStdout(out, 32);
  const lines = [
    "short",
    "é✓😀 wide characters",
    ...Array.from({ length: 6 }, (_, i) => `${i}`.repeat(10)),
    "x".repeat(40),
    "",
    "last",
  ];
  for (const line of lines) write(line);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assertEquals(chunks.join(""), lines.join("\n") + "\n");
  assertOk(chunks.length > 1, "written in several batches");
});

import { assertEquals } from "@thoughts/testing";
import { prettyLogger } from "./pretty.ts";

Deno.test("prettyLogger writes one compact line per request and per event, errors in red", () => {
  const lines: string[] = [];
  const now = () => new Date("2026-11-26T09:08:07.000Z");
  const plain = prettyLogger((line) => lines.push(line), false, now);
  plain("info", "Request", {
    requestId: "r1",
    method: "POST",
    path: "/api/login",
    route: "/api/login",
    status: 401,
    ms: 104.2,
  });
  plain("warn", "Database unavailable; retrying", { attempt: 2 });
  plain("error", "Request failed", {
    error: "Error: boom",
    stack: "Error: boom\n    at x.ts:1",
  });
  assertEquals(lines, [
    "09:08:07 POST /api/login 401 104.2ms",
    "09:08:07 WARN  Database unavailable; retrying attempt=2",
    "09:08:07 ERROR Request failed error=Error: boom\nError: boom\n    at x.ts:1",
  ]);
  const colored: string[] = [];
  const log = prettyLogger((line) => colored.push(line), true, now);
  log("info", "Request", { method: "GET", path: "/", status: 500, ms: 1 });
  log("error", "Request failed", {});
  assertEquals(colored, [
    "\x1b[2m09:08:07\x1b[0m GET / \x1b[31m500\x1b[0m 1ms",
    "\x1b[2m09:08:07\x1b[0m \x1b[31mERROR\x1b[0m Request failed",
  ]);
});

import { assertEquals, assertThrows } from "@thoughts/testing";
import { hasWrk, parseWrk, runWrk } from "./_wrk.ts";

const OUTPUT = `Running 5s test @ http://127.0.0.1:8001/api/thoughts/1/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.10ms    2.31ms  40.12ms   85.00%
    Req/Sec     7.10k   400.00     7.50k    80.00%
  Latency Distribution
     50%    6.52ms
     75%    8.10ms
     90%    9.90ms
     99%   15.30ms
  35500 requests in 5.00s, 9.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   7100.00
Transfer/sec:      1.80MB
`;

Deno.test("parseWrk() reads throughput, percentiles and errors", () => {
  assertEquals(parseWrk(OUTPUT), {
    requests: 35500,
    rps: 7100,
    p50: 6.52,
    p99: 15.3,
    errors: 7,
  });
  assertEquals(
    parseWrk(OUTPUT.replace("6.52ms", "650.00us").replace("15.30ms", "1.20s"))
      .p50,
    0.65,
  );
  assertEquals(parseWrk(OUTPUT.replace("15.30ms", "1.20s")).p99, 1200);
  assertThrows(
    () => parseWrk("wrk: connection refused"),
    Error,
    "Cannot read wrk output",
  );
});

// A server that counts the bodies it is sent.
async function withBodyCounter(
  fn: (url: string) => Promise<void>,
): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const body = await req.text();
      seen.set(body, (seen.get(body) ?? 0) + 1);
      return new Response("ok");
    },
  );
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/`);
  } finally {
    await server.shutdown();
  }
  return seen;
}

Deno.test({
  name:
    "wrk sends a header's values from a file in turn: a new token each request",
  ignore: !(await hasWrk()),
}, async () => {
  const seen = new Map<string, number>();
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => {
      const value = req.headers.get("Authorization") ?? "";
      seen.set(value, (seen.get(value) ?? 0) + 1);
      return new Response("ok");
    },
  );
  const file = await Deno.makeTempFile();
  try {
    const tokens = Array.from({ length: 500 }, (_, i) => `Bearer t${i}`);
    await Deno.writeTextFile(file, tokens.join("\n") + "\n");
    const result = await runWrk(`http://127.0.0.1:${server.addr.port}/`, {
      cycle: { header: "Authorization", file },
      connections: 1,
      seconds: 1,
    });
    assertEquals(result.errors, 0);
    // One after another: each value once before any comes again.
    assertEquals(seen.size, Math.min(result.requests, tokens.length));
    assertEquals(
      Math.max(...seen.values()) - Math.min(...seen.values()) <= 1,
      true,
    );
  } finally {
    await Deno.remove(file);
  }
});

Deno.test({
  name: "wrk sends several bodies in turn",
  ignore: !(await hasWrk()),
}, async () => {
  const seen = await withBodyCounter(async (url) => {
    const result = await runWrk(url, {
      method: "POST",
      body: 'a "quoted"\nb',
      connections: 2,
      seconds: 1,
    });
    assertEquals(result.errors, 0);
  });
  assertEquals([...seen.keys()].sort(), ['a "quoted"', "b"]);
});

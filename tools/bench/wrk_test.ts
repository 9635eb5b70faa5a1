import { assertEquals, assertThrows } from "@thoughts/testing";
import { parseWrk } from "./wrk.ts";

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

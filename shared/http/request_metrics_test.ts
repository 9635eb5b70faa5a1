import { assertEquals, assertStringIncludes } from "../assert.ts";
import { createRequestMetrics, LATENCY_BUCKETS } from "./request_metrics.ts";

function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

Deno.test("createRequestMetrics() counts each label set and fills cumulative buckets", () => {
  const metrics = createRequestMetrics();
  metrics.observe("GET", "/a", 200, 0.0004);
  metrics.observe("GET", "/a", 200, 0.003);
  metrics.observe("GET", "/a", 200, 7);
  metrics.observe("GET", "/a", 404, 0.001);
  const got = samples(metrics.render());
  const labels = 'method="GET",route="/a",status="200"';
  assertEquals(got.get(`http_requests_total{${labels}}`), 3);
  assertEquals(
    got.get('http_requests_total{method="GET",route="/a",status="404"}'),
    1,
  );
  const bucket = (le: string) =>
    got.get(`http_request_duration_seconds_bucket{le="${le}",${labels}}`);
  assertEquals(bucket("0.001"), 1);
  assertEquals(bucket("0.0025"), 1);
  assertEquals(bucket("0.005"), 2);
  assertEquals(bucket("5"), 2);
  assertEquals(bucket("+Inf"), 3);
  assertEquals(got.get(`http_request_duration_seconds_count{${labels}}`), 3);
  assertEquals(
    got.get(`http_request_duration_seconds_sum{${labels}}`),
    0.0004 + 0.003 + 7,
  );
  // A value on a bound belongs to that bound's bucket (le is inclusive).
  assertEquals(
    got.get(
      'http_request_duration_seconds_bucket{le="0.001",method="GET",route="/a",status="404"}',
    ),
    1,
  );
});

Deno.test("createRequestMetrics() renders one bucket per bound, typed families and escaped labels", () => {
  const metrics = createRequestMetrics();
  metrics.observe("GET", 'odd"route\\\n', 500, 0.01);
  const text = metrics.render();
  assertStringIncludes(text, "# TYPE http_requests_total counter\n");
  assertStringIncludes(
    text,
    "# TYPE http_request_duration_seconds histogram\n",
  );
  assertStringIncludes(text, 'route="odd\\"route\\\\\\n"');
  assertEquals(
    text.split("\n").filter((l) => l.includes("_bucket{")).length,
    LATENCY_BUCKETS.length + 1,
  );
});

import { assertEquals, assertStringIncludes } from "@thoughts/testing";
import { createMetrics, LATENCY_BUCKETS } from "./metrics.ts";

const info = {
  service: "users",
  version: "v2.3",
  commit: "c".repeat(40),
  source: "stamped",
  requires: {},
} as const;

// Samples by name and label set, the labels in sorted order, so the test
// does not depend on the order a library writes them in.
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`Not a sample: ${line}`);
    const labels = [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)]
      .map(([, name, value]) => `${name}="${value}"`).sort().join(",");
    out.set(`${match[1]}{${labels}}`, Number(match[3]));
  }
  return out;
}

Deno.test("createMetrics() counts each label set and fills cumulative buckets", async () => {
  const metrics = createMetrics(info);
  metrics.observe("GET", "/a", 200, 0.0004);
  metrics.observe("GET", "/a", 200, 0.003);
  metrics.observe("GET", "/a", 200, 7);
  metrics.observe("GET", "/a", 404, 0.001);
  const got = samples(await metrics.render());
  const labels = 'method="GET",route="/a",status="200"';
  assertEquals(got.get(`http_requests_total{${labels}}`), 3);
  assertEquals(
    got.get('http_requests_total{method="GET",route="/a",status="404"}'),
    1,
  );
  const bucket = (le: string, status = 200) =>
    got.get(
      `http_request_duration_seconds_bucket{le="${le}",method="GET",route="/a",status="${status}"}`,
    );
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
  assertEquals(bucket("0.001", 404), 1);
});

Deno.test("createMetrics() renders one bucket per bound, typed families, escaped labels and the build", async () => {
  const metrics = createMetrics(info, () => ["k1", "k2"]);
  metrics.observe("GET", 'odd"route\\\n', 500, 0.01);
  const text = await metrics.render();
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
  const got = samples(text);
  assertEquals(
    got.get(
      `build_info{commit="${info.commit}",service="users",version="v2.3"}`,
    ),
    1,
  );
  assertEquals(
    [got.get('token_keys{kid="k1"}'), got.get('token_keys{kid="k2"}')],
    [1, 1],
  );
});

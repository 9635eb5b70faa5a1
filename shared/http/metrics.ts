/**
 * Prometheus metrics of a service, in one small registry: requests by
 * method, route pattern and status, their latency, `build_info` and
 * `token_keys`, rendered in the Prometheus text format. Not prom-client:
 * its dependency chain (tdigest, bintrees) ships a 2 MB data file that
 * crashes `deno compile` (docs/builds.md).
 *
 * @module
 */

import type { BuildInfo } from "../version/build_info.ts";

/** Latency bucket bounds in seconds, as Prometheus `le` labels. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
];

/** The methods counted by name; any other is counted as `OTHER`. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
]);

/** The `Content-Type` of the Prometheus text format. */
const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** The metrics of one service instance. */
export interface ServiceMetrics {
  /** The `Content-Type` of {@linkcode ServiceMetrics.render}'s text. */
  readonly contentType: string;
  /**
   * Records one finished request.
   *
   * @param method The HTTP method; one not in {@linkcode KNOWN_METHODS} counts as `OTHER`.
   * @param route The route pattern, never the raw path.
   * @param status The response status.
   * @param seconds The duration.
   */
  observe(method: string, route: string, status: number, seconds: number): void;
  /** Every metric in the Prometheus text format, as `/metrics` serves it. */
  render(): Promise<string>;
}

interface Series {
  labels: string;
  count: number;
  sum: number;
  /** Cumulative counts, one per bound of {@linkcode LATENCY_BUCKETS}. */
  buckets: number[];
}

const escape = (value: string) =>
  value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll(
    "\n",
    "\\n",
  );

const labelText = (labels: Record<string, string>) =>
  Object.entries(labels).map(([name, value]) => `${name}="${escape(value)}"`)
    .join(",");

/**
 * Creates the metrics of a service. Each app has its own, so apps in one
 * test process stay apart.
 *
 * @param info The build info exported as the `build_info` gauge.
 * @param keyIds The kids the service accepts, exported as the `token_keys` gauge.
 * @returns The metrics.
 * @example Usage
 * ```ts
 * import { createMetrics } from "@thoughts/shared/http";
 *
 * const metrics = createMetrics({ service: "users", version: "v2.3", commit: "abc", source: "git", requires: {} });
 * metrics.observe("GET", "/healthz", 200, 0.001);
 * (await metrics.render()).includes('http_requests_total{method="GET",route="/healthz",status="200"} 1'); // true
 * ```
 */
export function createMetrics(
  info: BuildInfo,
  keyIds?: () => string[],
): ServiceMetrics {
  const series = new Map<string, Series>();
  const build = labelText({
    service: info.service,
    version: info.version,
    commit: info.commit,
  });
  return {
    contentType: CONTENT_TYPE,
    observe(method, route, status, seconds) {
      // Label values come from a closed set, so no client can grow the
      // series without bound: route is a pattern, method a known one.
      const m = KNOWN_METHODS.has(method) ? method : "OTHER";
      const key = `${m} ${status} ${route}`;
      let s = series.get(key);
      if (!s) {
        const labels = labelText({ method: m, route, status: String(status) });
        s = { labels, count: 0, sum: 0, buckets: LATENCY_BUCKETS.map(() => 0) };
        series.set(key, s);
      }
      s.count++;
      s.sum += seconds;
      LATENCY_BUCKETS.forEach((bound, i) => {
        if (seconds <= bound) s.buckets[i]!++;
      });
    },
    render() {
      const lines = [
        ...requestLines([...series.values()]),
        "# HELP build_info Always 1; the labels name the running build",
        "# TYPE build_info gauge",
        `build_info{${build}} 1`,
      ];
      if (keyIds) {
        lines.push(
          "# HELP token_keys Always 1 for each token key id (kid) the service accepts now",
          "# TYPE token_keys gauge",
          // Read at scrape time, so a key rotation shows without a restart.
          ...keyIds().map((kid) => `token_keys{${labelText({ kid })}} 1`),
        );
      }
      return Promise.resolve(lines.join("\n") + "\n");
    },
  };
}

// The request counter and the latency histogram, a series each per method,
// route pattern and status.
function requestLines(all: Series[]): string[] {
  const latency = "http_request_duration_seconds";
  return [
    "# HELP http_requests_total HTTP requests by method, route pattern and status",
    "# TYPE http_requests_total counter",
    ...all.map((s) => `http_requests_total{${s.labels}} ${s.count}`),
    `# HELP ${latency} HTTP request latency in seconds by method, route pattern and status`,
    `# TYPE ${latency} histogram`,
    ...all.flatMap((s) => [
      ...LATENCY_BUCKETS.map((bound, i) =>
        `${latency}_bucket{le="${bound}",${s.labels}} ${s.buckets[i]}`
      ),
      `${latency}_bucket{le="+Inf",${s.labels}} ${s.count}`,
      `${latency}_sum{${s.labels}} ${s.sum}`,
      `${latency}_count{${s.labels}} ${s.count}`,
    ]),
  ];
}

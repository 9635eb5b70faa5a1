/**
 * The request counter and latency histogram, kept as plain numbers per
 * label set and rendered in the Prometheus text format. prom-client hashes
 * the labels on every observation; this runs once per request, so it pays
 * a map lookup and a short bucket scan instead.
 *
 * @module
 */

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

interface Series {
  labels: string;
  count: number;
  sum: number;
  /** Per bucket, not cumulative; the last slot is above every bound. */
  buckets: Float64Array;
}

/** Requests by method, route pattern and status, with their latency. */
export interface RequestMetrics {
  /**
   * Records one finished request.
   *
   * @param method The HTTP method.
   * @param route The route pattern, never the raw path.
   * @param status The response status.
   * @param seconds The duration.
   */
  observe(method: string, route: string, status: number, seconds: number): void;
  /** The two metric families in the Prometheus text format. */
  render(): string;
}

const escape = (value: string) =>
  value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll(
    "\n",
    "\\n",
  );

/**
 * Creates the `http_requests_total` counter and the
 * `http_request_duration_seconds` histogram of a service.
 *
 * @returns The metrics.
 * @example Usage
 * ```ts
 * import { createRequestMetrics } from "@thoughts/shared";
 *
 * const metrics = createRequestMetrics();
 * metrics.observe("GET", "/healthz", 200, 0.0004);
 * metrics.render(); // "# HELP http_requests_total …"
 * ```
 */
export function createRequestMetrics(): RequestMetrics {
  const series = new Map<string, Series>();
  return {
    observe(method, route, status, seconds) {
      const key = `${method} ${status} ${route}`;
      let s = series.get(key);
      if (!s) {
        s = {
          labels: `method="${escape(method)}",route="${
            escape(route)
          }",status="${status}"`,
          count: 0,
          sum: 0,
          buckets: new Float64Array(LATENCY_BUCKETS.length + 1),
        };
        series.set(key, s);
      }
      let i = 0;
      while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
      s.buckets[i]!++;
      s.count++;
      s.sum += seconds;
    },
    render() {
      const lines = [
        "# HELP http_requests_total HTTP requests by method, route pattern and status",
        "# TYPE http_requests_total counter",
      ];
      for (const s of series.values()) {
        lines.push(`http_requests_total{${s.labels}} ${s.count}`);
      }
      lines.push(
        "# HELP http_request_duration_seconds HTTP request latency in seconds by method, route pattern and status",
        "# TYPE http_request_duration_seconds histogram",
      );
      const name = "http_request_duration_seconds";
      for (const s of series.values()) {
        let cumulative = 0;
        LATENCY_BUCKETS.forEach((bound, i) => {
          cumulative += s.buckets[i]!;
          lines.push(`${name}_bucket{le="${bound}",${s.labels}} ${cumulative}`);
        });
        lines.push(
          `${name}_bucket{le="+Inf",${s.labels}} ${s.count}`,
          `${name}_sum{${s.labels}} ${s.sum}`,
          `${name}_count{${s.labels}} ${s.count}`,
        );
      }
      return lines.join("\n") + "\n";
    },
  };
}

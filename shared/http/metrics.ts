/**
 * Prometheus metrics of a service, through prom-client: requests by method,
 * route pattern and status, their latency, `build_info` and `token_keys`.
 *
 * @module
 */

import { Counter, Gauge, Histogram, Registry } from "prom-client";
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

/** The metrics of one service instance. */
export interface ServiceMetrics {
  /** The `Content-Type` of {@linkcode ServiceMetrics.render}'s text. */
  readonly contentType: string;
  /**
   * Records one finished request.
   *
   * @param method The HTTP method.
   * @param route The route pattern, never the raw path.
   * @param status The response status.
   * @param seconds The duration.
   */
  observe(method: string, route: string, status: number, seconds: number): void;
  /** Every metric in the Prometheus text format, as `/metrics` serves it. */
  render(): Promise<string>;
}

/**
 * Creates the metrics of a service in a prom-client registry of its own
 * (not the global one, so that apps in one test process stay apart).
 *
 * @param info The build info exported as the `build_info` gauge.
 * @param keyIds The kids the service accepts, exported as the `token_keys` gauge.
 * @returns The metrics.
 * @example Usage
 * ```ts
 * import { createMetrics } from "@thoughts/shared/http";
 *
 * const metrics = createMetrics({ service: "users", version: "v2.3", commit: "abc", source: "git" });
 * metrics.observe("GET", "/healthz", 200, 0.001);
 * (await metrics.render()).includes('route="/healthz"'); // true
 * ```
 */
export function createMetrics(
  info: BuildInfo,
  keyIds?: () => string[],
): ServiceMetrics {
  const registry = new Registry();
  const labelNames = ["method", "route", "status"] as const;
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by method, route pattern and status",
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency in seconds by method, route pattern and status",
    labelNames,
    buckets: [...LATENCY_BUCKETS],
    registers: [registry],
  });
  new Gauge({
    name: "build_info",
    help: "Always 1; the labels name the running build",
    labelNames: ["service", "version", "commit"],
    registers: [registry],
  }).set(
    { service: info.service, version: info.version, commit: info.commit },
    1,
  );
  if (keyIds) {
    new Gauge({
      name: "token_keys",
      help: "Always 1 for each token key id (kid) the service accepts now",
      labelNames: ["kid"],
      registers: [registry],
      // Read at scrape time, so a key rotation shows without a restart.
      collect() {
        this.reset();
        for (const kid of keyIds()) this.set({ kid }, 1);
      },
    });
  }
  return {
    contentType: registry.contentType,
    observe(method, route, status, seconds) {
      const labels = { method, route, status };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    render: () => registry.metrics(),
  };
}

/**
 * Prometheus metrics of a service: requests by method, route pattern and
 * status, their latency, and `build_info`.
 *
 * @module
 */

import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { BuildInfo } from "../build_info.ts";

/** The metrics of one service instance. */
export interface ServiceMetrics {
  /** The registry `/metrics` renders. */
  readonly registry: Registry;
  /**
   * Records one finished request.
   *
   * @param method The HTTP method.
   * @param route The route pattern, never the raw path.
   * @param status The response status.
   * @param seconds The duration.
   */
  observe(method: string, route: string, status: number, seconds: number): void;
}

/**
 * Creates the metrics of a service, in a registry of its own (not the
 * global one, so that apps in one test process stay apart).
 *
 * @param info The build info exported as the `build_info` gauge.
 * @param keyIds The kids the service accepts, exported as the `token_keys` gauge.
 * @returns The metrics.
 * @example Usage
 * ```ts
 * import { createMetrics } from "@thoughts/shared";
 *
 * const metrics = createMetrics({ service: "users", version: "v2.3", commit: "abc", source: "git" });
 * metrics.observe("GET", "/healthz", 200, 0.001);
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
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency in seconds by method, route pattern and status",
    labelNames,
    buckets: [
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
    ],
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
  const children = new Map<
    string,
    { count: { inc(): void }; latency: { observe(v: number): void } }
  >();
  return {
    registry,
    observe(method, route, status, seconds) {
      // One child per label set, so prom-client hashes each set once, not per request.
      const key = `${method} ${status} ${route}`;
      let child = children.get(key);
      if (!child) {
        const labels = { method, route, status: String(status) };
        child = {
          count: requests.labels(labels),
          latency: duration.labels(labels),
        };
        children.set(key, child);
      }
      child.count.inc();
      child.latency.observe(seconds);
    },
  };
}

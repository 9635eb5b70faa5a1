/**
 * Prometheus metrics of a service: requests by method, route pattern and
 * status, their latency, and `build_info`.
 *
 * @module
 */

import { Gauge, Registry } from "prom-client";
import type { BuildInfo } from "../build_info.ts";
import { createRequestMetrics } from "./request_metrics.ts";

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
 * Creates the metrics of a service: the request counter and histogram, and
 * the gauges in a prom-client registry of its own (not the global one, so
 * that apps in one test process stay apart).
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
 * await metrics.render();
 * ```
 */
export function createMetrics(
  info: BuildInfo,
  keyIds?: () => string[],
): ServiceMetrics {
  const registry = new Registry();
  const requests = createRequestMetrics();
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
    observe: requests.observe,
    render: async () => requests.render() + "\n" + await registry.metrics(),
  };
}

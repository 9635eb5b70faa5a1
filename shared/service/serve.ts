/**
 * Serving a service: listen, and on SIGTERM or SIGINT stop accepting,
 * finish the requests in flight (bounded), close resources, exit 0.
 *
 * @module
 */

import process from "node:process";
import { ConfigError } from "../config/config.ts";
import { DependencyError } from "../version/dependency_check.ts";
import type { Logger } from "../log/log.ts";
import { KeyError } from "../auth/key_error.ts";
import { StoreError } from "../store/database.ts";
import { VersionError } from "../version/version.ts";
import { type Handler, listen, type Listener } from "./listener.ts";

/** Whether the process is shutting down; readiness reads it. */
export interface Lifecycle {
  /** True from the first shutdown signal on. */
  draining: boolean;
}

/** Options of {@linkcode serve}. */
export interface ServeOptions {
  /** Answers a request: the app's `fetch`, given the connection's peer. */
  fetch: Handler;
  /** The port to listen on. */
  port: number;
  /** The address to listen on. */
  hostname: string;
  /** Where start and shutdown are reported. */
  logger: Logger;
  /** Set to draining when shutdown begins. */
  lifecycle: Lifecycle;
  /** Closes what the service opened (the database) after the last request. */
  close?: () => Promise<void>;
  /** How long in-flight requests may take to finish; 10 s by default. */
  graceMs?: number;
  /** How long to keep serving, not ready, before closing the listener. */
  drainDelayMs?: number;
}

/** A running service: where it listens, and how to stop it without exiting. */
export interface Server extends Listener {
  /** Resolves when the server has stopped, by a signal or `shutdown()`. */
  finished: Promise<void>;
}

/**
 * Starts the HTTP server and wires graceful shutdown to SIGTERM and SIGINT:
 * readiness fails at once, the server keeps serving for the drain delay,
 * then stops accepting and finishes the requests in flight.
 *
 * @param options The handler, address, logger and cleanup.
 * @returns The server, once it listens.
 * @example Usage
 * ```ts
 * import { memoryLogger } from "@thoughts/shared/log";
 * import { serve } from "@thoughts/shared/service";
 *
 * const server = await serve({
 *   fetch: () => new Response("ok"),
 *   port: 0,
 *   hostname: "127.0.0.1",
 *   logger: memoryLogger().logger,
 *   lifecycle: { draining: false },
 * });
 * await (await fetch(`http://127.0.0.1:${server.port}/`)).text(); // "ok"
 * await server.shutdown();
 * ```
 */
export async function serve(options: ServeOptions): Promise<Server> {
  const { logger, lifecycle } = options;
  const listener = await listen(options.fetch, {
    port: options.port,
    hostname: options.hostname,
  });
  logger("info", "Listening", {
    hostname: listener.hostname,
    port: listener.port,
  });
  const { promise: finished, resolve: done } = Promise.withResolvers<void>();
  const shutdown = async () => {
    await listener.shutdown();
    done();
  };
  const stop = async (signal: string) => {
    if (lifecycle.draining) return;
    lifecycle.draining = true;
    logger("info", "Shutting down", {
      signal,
      drainDelayMs: options.drainDelayMs ?? 0,
    });
    // Readiness already fails; keep serving while load balancers notice.
    await new Promise((resolve) =>
      setTimeout(resolve, options.drainDelayMs ?? 0)
    );
    const grace = setTimeout(() => {
      logger(
        "warn",
        "Requests still in flight after the grace period; exiting",
      );
      process.exit(1);
    }, options.graceMs ?? 10_000);
    await shutdown();
    await options.close?.();
    clearTimeout(grace);
    logger("info", "Stopped");
    process.exit(0);
  };
  const listeners = (["SIGTERM", "SIGINT"] as const).map((signal) => {
    const listener = () => void stop(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  finished.then(() => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  });
  return { ...listener, shutdown, finished };
}

/**
 * Runs a service's start-up and turns a known failure into one clear line
 * on stderr and exit code 1, before anything listens.
 *
 * @param service The service name, for the message.
 * @param start The start-up.
 * @returns When start-up has finished.
 * @example Usage
 * ```ts
 * import { runMain } from "@thoughts/shared/service";
 *
 * // In a service's main.ts: `if (import.meta.main) await runMain("users", () => main(null));`
 * await runMain("example", () => Promise.resolve());
 * ```
 */
export async function runMain(
  service: string,
  start: () => Promise<unknown>,
): Promise<void> {
  try {
    await start();
  } catch (error) {
    const known = [
      ConfigError,
      KeyError,
      VersionError,
      StoreError,
      DependencyError,
    ].some((t) => error instanceof t);
    console.error(
      `${service}: cannot start: ${
        known ? (error as Error).message : String(error)
      }`,
    );
    if (!known) console.error((error as Error)?.stack ?? "");
    process.exit(1);
  }
}

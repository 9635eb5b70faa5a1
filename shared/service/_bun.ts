/**
 * The Bun adapter: `Bun.serve`, and Bun's `fetch` without keep-alive.
 *
 * @module
 */

import type { Handler, Listener, ListenOptions } from "./listener.ts";

interface BunServer {
  hostname: string;
  port: number;
  requestIP(request: Request): { address: string } | null;
  stop(closeActive?: boolean): Promise<void>;
}

declare const Bun: {
  serve(options: {
    port: number;
    hostname: string;
    fetch(request: Request, server: BunServer): Response | Promise<Response>;
  }): BunServer;
};

/** Listens with `Bun.serve`, passing `requestIP` as `remoteAddr`. */
export function listen(
  handler: Handler,
  options: ListenOptions,
): Promise<Listener> {
  const server = Bun.serve({
    port: options.port,
    hostname: options.hostname,
    fetch: (request, server) =>
      handler(request, {
        remoteAddr: {
          hostname: server.requestIP(request)?.address ?? "unknown",
        },
      }),
  });
  return Promise.resolve({
    hostname: server.hostname,
    port: server.port,
    // Without `closeActive`, Bun lets the requests in flight finish.
    shutdown: () => server.stop(),
  });
}

/** Bun's fetch with `keepalive: false`: one connection each. */
export function freshFetch(): (request: Request) => Promise<Response> {
  return (request) => fetch(request, { keepalive: false });
}

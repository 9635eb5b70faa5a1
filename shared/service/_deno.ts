/**
 * The Deno adapter: `Deno.serve`, and `Deno.createHttpClient` with no idle
 * connections kept.
 *
 * @module
 */

import type { Handler, Listener, ListenOptions } from "./listener.ts";

/** Listens with `Deno.serve`; its handler info carries `remoteAddr`. */
export function listen(
  handler: Handler,
  options: ListenOptions,
): Promise<Listener> {
  const { promise, resolve } = Promise.withResolvers<Listener>();
  const server = Deno.serve({
    port: options.port,
    hostname: options.hostname,
    onListen: ({ hostname, port }) =>
      resolve({ hostname, port, shutdown: () => server.shutdown() }),
  }, handler);
  return promise;
}

/** A fetch whose client keeps no idle connection. */
export function freshFetch(): (request: Request) => Promise<Response> {
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  return (request) => fetch(request, { client });
}

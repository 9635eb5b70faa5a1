/**
 * The Node adapter: `@hono/node-server`, and `node:http` with no agent (a
 * new connection per request).
 *
 * @module
 */

import { createAdaptorServer } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { Buffer } from "node:buffer";
import { request as httpRequest } from "node:http";
import type { Handler, Listener, ListenOptions } from "./listener.ts";

/** Listens with `@hono/node-server`, passing the socket's peer as `remoteAddr`. */
export function listen(
  handler: Handler,
  options: ListenOptions,
): Promise<Listener> {
  const server = createAdaptorServer({
    // Node's 16 KiB for the request line and headers refuses URLs that Deno
    // and Bun pass on to the app (a long search the frontend shortens).
    serverOptions: { maxHeaderSize: 64 * 1024 },
    fetch: (
      request: Request,
      env: { incoming: { socket: { remoteAddress?: string } } },
    ) =>
      handler(request, {
        remoteAddr: {
          hostname: env.incoming.socket.remoteAddress ?? "unknown",
        },
      }),
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      const { address, port } = server.address() as AddressInfo;
      resolve({
        hostname: address,
        port,
        shutdown: () =>
          new Promise<void>((done) => {
            // Stops accepting; resolves once every connection has ended.
            server.close(() => done());
            if ("closeIdleConnections" in server) server.closeIdleConnections();
          }),
      });
    });
  });
}

/** A fetch of GETs over `node:http` without an agent: one connection each. */
export function freshFetch(): (request: Request) => Promise<Response> {
  return (request) =>
    new Promise((resolve, reject) => {
      const sent = httpRequest(request.url, {
        method: request.method,
        headers: Object.fromEntries(request.headers),
        agent: false,
        signal: request.signal,
      }, (incoming) => {
        const chunks: Uint8Array[] = [];
        incoming.on("data", (chunk: Uint8Array) => chunks.push(chunk));
        incoming.on("error", reject);
        incoming.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            for (const one of [value ?? []].flat()) headers.append(name, one);
          }
          resolve(
            new Response(Buffer.concat(chunks), {
              status: incoming.statusCode,
              headers,
            }),
          );
        });
      });
      sent.on("error", reject);
      sent.end();
    });
}

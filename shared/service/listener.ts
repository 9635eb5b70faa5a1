/**
 * The one place that knows which runtime it is on: listening for HTTP, and
 * a `fetch` over fresh connections. Deno gets `Deno.serve`, Node
 * `@hono/node-server`, Bun `Bun.serve`; each passes the connection's peer
 * to the handler as `info.remoteAddr`, the shape Hono apps read as
 * `c.env`.
 *
 * @module
 */

import process from "node:process";

/** What a handler learns of the connection besides the request. */
export interface ConnInfo {
  /** The peer's address. */
  remoteAddr: { hostname: string };
}

/** Answers a request: an app's `fetch`. */
export type Handler = (
  request: Request,
  info: ConnInfo,
) => Response | Promise<Response>;

/** A listening HTTP server. */
export interface Listener {
  /** The address it listens on. */
  hostname: string;
  /** The port it listens on (the one picked, for port 0). */
  port: number;
  /** Stops accepting and resolves when the requests in flight are answered. */
  shutdown(): Promise<void>;
}

/** Where to listen. */
export interface ListenOptions {
  port: number;
  hostname: string;
}

/** The runtime the process runs on. */
export type RuntimeName = "deno" | "node" | "bun";

/**
 * The runtime this process runs on.
 *
 * @returns `deno`, `bun` or `node`.
 * @example Usage
 * ```ts
 * import { runtimeName } from "@thoughts/shared/service";
 *
 * runtimeName(); // "deno" under deno test
 * ```
 */
export function runtimeName(): RuntimeName {
  return "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";
}

/**
 * The runtime and its version, as `/admin/version/` reports it.
 *
 * @returns E.g. `deno 2.9.6` or `node 26.12.1`.
 * @example Usage
 * ```ts
 * import { runtimeVersion } from "@thoughts/shared/service";
 *
 * runtimeVersion().startsWith("deno "); // true under deno test
 * ```
 */
export function runtimeVersion(): string {
  switch (runtimeName()) {
    case "deno":
      return `deno ${Deno.version.deno}`;
    case "bun":
      return `bun ${process.versions.bun}`;
    default:
      return `node ${process.versions.node}`;
  }
}

interface Adapter {
  listen(handler: Handler, options: ListenOptions): Promise<Listener>;
  freshFetch(): (request: Request) => Promise<Response>;
}

// Each runtime's adapter is loaded only on that runtime.
function adapter(): Promise<Adapter> {
  switch (runtimeName()) {
    case "deno":
      return import("./_deno.ts");
    case "bun":
      return import("./_bun.ts");
    default:
      return import("./_node.ts");
  }
}

/**
 * Listens for HTTP on this runtime's own server.
 *
 * @param handler Answers each request.
 * @param options The port (0 picks one) and address.
 * @returns The listener, once it listens.
 * @example Usage
 * ```ts
 * import { listen } from "@thoughts/shared/service";
 *
 * const server = await listen(() => new Response("ok"), { port: 0, hostname: "127.0.0.1" });
 * await (await fetch(`http://127.0.0.1:${server.port}/`)).text(); // "ok"
 * await server.shutdown();
 * ```
 */
export async function listen(
  handler: Handler,
  options: ListenOptions,
): Promise<Listener> {
  return await (await adapter()).listen(handler, options);
}

/**
 * A `fetch` that opens a new connection for every request, so that each
 * may reach another replica behind a Service's virtual address.
 *
 * @returns The fetch.
 * @example Usage
 * ```ts
 * import { freshFetch, listen } from "@thoughts/shared/service";
 *
 * const server = await listen(() => new Response("ok"), { port: 0, hostname: "127.0.0.1" });
 * const fetchFresh = await freshFetch();
 * await (await fetchFresh(new Request(`http://127.0.0.1:${server.port}/`))).text(); // "ok"
 * await server.shutdown();
 * ```
 */
export async function freshFetch(): Promise<
  (request: Request) => Promise<Response>
> {
  return (await adapter()).freshFetch();
}

/**
 * Who is calling: the source login throttling counts and passes on.
 *
 * @module
 */

import type { Context } from "hono";

/**
 * The client's address. With no trusted proxy it is the connection's remote
 * address: anyone can write `X-Forwarded-For`. Behind `trustedHops`
 * proxies (an Ingress, then the frontend), each of which appends the
 * address it saw, the client is the entry that many places from the right
 * of the header plus the connection; entries further left are the client's
 * own words. A header with fewer entries gives its leftmost.
 *
 * @param c The request's context; its `env.remoteAddr` is the connection's
 *   peer, as the serve adapter passes it.
 * @param trustedHops How many proxies in front append to the header.
 * @returns The address, or `unknown` when the connection names none.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { clientAddress } from "@thoughts/shared/http";
 *
 * const env = { remoteAddr: { hostname: "10.0.0.2" } };
 * const headers = { "X-Forwarded-For": "1.2.3.4, 203.0.113.9" };
 * const direct = new Hono().get("/", (c) => c.text(clientAddress(c, 0)));
 * await (await direct.request("/", { headers }, env)).text(); // "10.0.0.2"
 * const behindIngress = new Hono().get("/", (c) => c.text(clientAddress(c, 1)));
 * await (await behindIngress.request("/", { headers }, env)).text(); // "203.0.113.9"
 * ```
 */
export function clientAddress(c: Context, trustedHops = 0): string {
  const remote: unknown = c.env?.remoteAddr;
  const peer = remote && typeof remote === "object" && "hostname" in remote
    ? String(remote.hostname)
    : "unknown";
  if (trustedHops === 0) return peer;
  const forwarded = (c.req.header("X-Forwarded-For") ?? "").split(",")
    .map((entry) => entry.trim()).filter((entry) => entry !== "");
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustedHops)]!;
}

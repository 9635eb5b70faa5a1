/**
 * Who is calling, for counting login failures per client.
 *
 * @module
 */

import type { Context } from "hono";

/**
 * The client's address: the first `X-Forwarded-For` entry when a proxy (the
 * ingress, the frontend) passed one, else the connection's remote address,
 * else `unknown`. A client can write that header itself; so per-client
 * limits are a second line, behind the per-account ones.
 *
 * @param c The request's context; its `env` is Deno's serve info.
 * @returns The address.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { clientAddress } from "@thoughts/shared/http";
 *
 * const app = new Hono().get("/", (c) => c.text(clientAddress(c)));
 * await (await app.request("/", { headers: { "X-Forwarded-For": "203.0.113.9, 10.0.0.2" } })).text(); // "203.0.113.9"
 * await (await app.request("/")).text(); // "unknown"
 * ```
 */
export function clientAddress(c: Context): string {
  const forwarded = c.req.header("X-Forwarded-For")?.split(",")[0]?.trim();
  if (forwarded) return forwarded;
  const remote: unknown = c.env?.remoteAddr;
  return remote && typeof remote === "object" && "hostname" in remote
    ? String(remote.hostname)
    : "unknown";
}

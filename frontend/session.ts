/**
 * The login session: the bearer token in an HttpOnly cookie, verified
 * locally with the public keys on every page (no call to the users service).
 *
 * @module
 */

import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import {
  type KeySet,
  type TokenClaims,
  verifyToken,
} from "@thoughts/shared/auth";

/** The cookie's name. */
export const SESSION_COOKIE = "session";

/** A verified session. */
export interface Session {
  username: string;
  token: string;
}

/**
 * Reads and verifies the session cookie.
 *
 * @param c The request context.
 * @param keys The accepted public keys.
 * @param now The current time.
 * @returns The session; `null` when absent; `"invalid"` when forged or expired.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { loadKeySet, signToken } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 * import { readSession } from "./session.ts";
 *
 * const reader = dirSecretReader("testing/testdata/keys");
 * const keys = await loadKeySet({ reader, appEnv: "test", signs: true });
 * const token = await signToken(keys, "ada", { lifetime: 60, now: new Date() });
 * const app = new Hono().get("/", async (c) => c.json(await readSession(c, keys, new Date())));
 * const res = await app.request("/", { headers: { Cookie: `session=${token}` } });
 * (await res.json()).username; // "ada"
 * ```
 */
export async function readSession(
  c: Context,
  keys: KeySet,
  now: Date,
): Promise<Session | null | "invalid"> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  try {
    const claims: TokenClaims = await verifyToken(keys, token, now);
    return { username: claims.username, token };
  } catch {
    return "invalid";
  }
}

function secure(c: Context): boolean {
  // Behind the ingress the scheme the browser used arrives in X-Forwarded-Proto.
  const proto = c.req.header("X-Forwarded-Proto") ??
    new URL(c.req.url).protocol.replace(":", "");
  return proto === "https";
}

/**
 * Sets the session cookie, living no longer than the token.
 *
 * @param c The response context.
 * @param token The bearer token.
 * @param expiresAt When the token expires, seconds since the epoch.
 * @param now The current time.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { startSession } from "./session.ts";
 *
 * const now = new Date();
 * const expires = now.getTime() / 1000 + 3600;
 * const app = new Hono().get("/", (c) => (startSession(c, "a.b.c", expires, now), c.text("ok")));
 * (await app.request("/")).headers.get("Set-Cookie"); // "session=a.b.c; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax"
 * ```
 */
export function startSession(
  c: Context,
  token: string,
  expiresAt: number,
  now: Date,
): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: secure(c),
    path: "/",
    maxAge: Math.max(0, Math.floor(expiresAt - now.getTime() / 1000)),
  });
}

/**
 * Clears the session cookie.
 *
 * @param c The response context.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { endSession } from "./session.ts";
 *
 * const app = new Hono().get("/", (c) => (endSession(c), c.text("ok")));
 * (await app.request("/")).headers.get("Set-Cookie"); // "session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
 * ```
 */
export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: secure(c),
  });
}

/**
 * The login session: the bearer token in an HttpOnly cookie, verified
 * locally with the public keys on every page (no call to the users service);
 * and the device cookie, which tells the users service that this browser
 * logged in to the account before.
 *
 * @module
 */

import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { decodeJwt } from "jose";
import {
  type KeySet,
  type TokenClaims,
  verifyToken,
} from "@thoughts/shared/auth";

/** The cookie's name. */
export const SESSION_COOKIE = "session";

/** The device cookie's name; only the login page is sent it. */
export const DEVICE_COOKIE = "device";

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

/**
 * The browser's device token, from its cookie.
 *
 * @param c The request context.
 * @returns The token, if the browser has one.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { deviceToken } from "./session.ts";
 *
 * const app = new Hono().get("/", (c) => c.text(deviceToken(c) ?? "none"));
 * await (await app.request("/", { headers: { Cookie: "device=a.b.c" } })).text(); // "a.b.c"
 * ```
 */
export function deviceToken(c: Context): string | undefined {
  return getCookie(c, DEVICE_COOKIE);
}

/**
 * Keeps a device token in an HttpOnly cookie sent to the login page only,
 * living as long as the token. It outlives the session: logging out ends
 * the session, not the browser's standing with the account.
 *
 * @param c The response context.
 * @param token The device token the users service issued.
 * @param now The current time.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { keepDevice } from "./session.ts";
 *
 * const token = "eyJhbGciOiJub25lIn0.eyJleHAiOjM2MDB9."; // exp 3600
 * const app = new Hono().get("/", (c) => (keepDevice(c, token, new Date(0)), c.text("ok")));
 * (await app.request("/")).headers.get("Set-Cookie"); // "device=eyJ…; Max-Age=3600; Path=/login; HttpOnly; SameSite=Strict"
 * ```
 */
export function keepDevice(c: Context, token: string, now: Date): void {
  let exp = 0;
  try {
    exp = Number(decodeJwt(token).exp ?? 0);
  } catch {
    return; // not a token: nothing to keep
  }
  setCookie(c, DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: "Strict",
    secure: secure(c),
    path: "/login",
    maxAge: Math.max(0, Math.floor(exp - now.getTime() / 1000)),
  });
}

/**
 * RS256 JWTs with a `kid`, claims `username`, `iat` and `exp`.
 *
 * @module
 */

import { SignJWT } from "jose";
import { decodeBase64Url } from "./base64.ts";
import type { KeySet } from "./key_set.ts";

/** Why a token was refused. */
export type TokenErrorCode =
  | "missing"
  | "malformed"
  | "unknown_kid"
  | "bad_signature"
  | "bad_algorithm"
  | "expired"
  | "bad_claims";

/** A refused token; the message never contains the token. */
export class TokenError extends Error {
  /** Why it was refused. */
  readonly code: TokenErrorCode;

  /**
   * @param code Why it was refused.
   * @param message A client-safe description.
   */
  constructor(code: TokenErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TokenError";
    this.code = code;
  }
}

/** The verified claims of a token. */
export interface TokenClaims {
  username: string;
  iat: number;
  exp: number;
  kid: string;
}

/** The default token lifetime: two days, in seconds. */
export const DEFAULT_TOKEN_LIFETIME = 2 * 24 * 3600;

/**
 * Signs a token for a user with the key set's signing key.
 *
 * @param keySet Keys with a signer.
 * @param username The subject.
 * @param options The lifetime in seconds and the issue time.
 * @returns The compact JWT.
 * @throws {Error} When the key set has no signing key.
 * @example Usage
 * ```ts
 * import { signToken } from "@thoughts/shared";
 *
 * const jwt = await signToken(keySet, "ada", { lifetime: 3600, now: new Date() });
 * ```
 */
export async function signToken(
  keySet: KeySet,
  username: string,
  options: { lifetime: number; now: Date },
): Promise<string> {
  if (!keySet.signer) throw new Error("No signing key loaded");
  const iat = Math.floor(options.now.getTime() / 1000);
  return await new SignJWT({ username })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: keySet.signer.kid })
    .setIssuedAt(iat)
    .setExpirationTime(iat + options.lifetime)
    .sign(keySet.signer.key);
}

/**
 * Verifies a token against the key set: RS256 only, a known `kid`, not
 * expired, with a `username`. Synchronous: the signature check is plain
 * arithmetic (see {@linkcode Rs256Key}).
 *
 * @param keySet The accepted public keys.
 * @param token The compact JWT.
 * @param now The current time.
 * @returns The claims.
 * @throws {TokenError} With the reason it was refused.
 * @example Usage
 * ```ts
 * import { verifyToken } from "@thoughts/shared";
 *
 * const { username } = verifyToken(keySet, jwt, new Date());
 * ```
 */
export function verifyToken(
  keySet: KeySet,
  token: string,
  now: Date,
): TokenClaims {
  const cache = verified.get(keySet) ?? new Map<string, TokenClaims>();
  const hit = cache.get(token);
  if (hit && hit.exp > now.getTime() / 1000) return hit;
  cache.delete(token);
  const claims = verifyUncached(
    keySet,
    token,
    Math.floor(now.getTime() / 1000),
  );
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(token, claims);
  verified.set(keySet, cache);
  return claims;
}

// A client sends the same token with every request, so verified tokens are
// remembered until they expire. The cache belongs to one key set: after a
// rotation the new set starts empty, so a retired key's tokens are refused at
// once. The key is the whole token, signature included, so a forged token
// never matches.
const verified = new WeakMap<KeySet, Map<string, TokenClaims>>();
const CACHE_LIMIT = 10_000;
const decoder = new TextDecoder("utf-8", { fatal: true });

// RFC 7515 §5.2, with RFC 7519 §7.2 for the claims. The header is trusted only
// to pick the key; the payload is read only once the signature holds.
function verifyUncached(
  keySet: KeySet,
  token: string,
  nowSeconds: number,
): TokenClaims {
  const parts = token.split(".");
  if (parts.length !== 3) throw malformed();
  const [head, body, signature] = parts as [string, string, string];
  const header = parsedHeader(head);
  if (header.alg !== "RS256") {
    throw new TokenError("bad_algorithm", "Token algorithm not allowed");
  }
  // Extensions named critical must be understood (RFC 7515 §4.1.11); none is.
  if (header.crit !== undefined) throw malformed();
  const kid = typeof header.kid === "string" ? header.kid : "";
  const key = keySet.verifiers.get(kid);
  if (!key) {
    throw new TokenError("unknown_kid", "Token signed by an unknown key");
  }
  if (!key.verify(`${head}.${body}`, bytes(signature))) {
    throw new TokenError("bad_signature", "Token signature invalid");
  }
  const { exp, iat, nbf, username } = jsonObject(body);
  if (!isNumericDate(exp) || !isNumericDate(iat)) {
    throw new TokenError("bad_claims", "Token claims invalid");
  }
  if (nbf !== undefined && !(isNumericDate(nbf) && nbf <= nowSeconds)) {
    throw new TokenError("bad_claims", "Token claims invalid");
  }
  if (exp <= nowSeconds) throw new TokenError("expired", "Token expired");
  if (typeof username !== "string" || username === "") {
    throw new TokenError("bad_claims", "Token has no username");
  }
  return { username, iat, exp, kid };
}

// Every token one key signs has the same header text, so its parse is kept;
// the bound stops made-up headers from growing the map.
const headers = new Map<string, Readonly<Record<string, unknown>>>();
const HEADER_LIMIT = 64;

function parsedHeader(segment: string): Readonly<Record<string, unknown>> {
  const known = headers.get(segment);
  if (known) return known;
  const header = Object.freeze(jsonObject(segment));
  if (headers.size >= HEADER_LIMIT) headers.clear();
  headers.set(segment, header);
  return header;
}

function malformed(cause?: unknown): TokenError {
  return new TokenError("malformed", "Token malformed", { cause });
}

function bytes(segment: string): Uint8Array {
  try {
    return decodeBase64Url(segment);
  } catch (error) {
    throw malformed(error);
  }
}

function jsonObject(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes(segment)));
  } catch (error) {
    throw error instanceof TokenError ? error : malformed(error);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed();
  }
  return value as Record<string, unknown>;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * Extracts the token of an `Authorization: Bearer <jwt>` header.
 *
 * @param header The header value.
 * @returns The token.
 * @throws {TokenError} When the header is absent or not a bearer token.
 * @example Usage
 * ```ts
 * import { bearerToken } from "@thoughts/shared";
 *
 * bearerToken("Bearer abc.def.ghi"); // "abc.def.ghi"
 * ```
 */
export function bearerToken(header: string | undefined | null): string {
  if (!header) throw new TokenError("missing", "Authorization header required");
  const match = /^Bearer ([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*)$/
    .exec(header.trim());
  if (!match) {
    throw new TokenError(
      "malformed",
      "Authorization header must be 'Bearer <token>'",
    );
  }
  return match[1]!;
}

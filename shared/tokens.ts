/**
 * RS256 JWTs with a `kid`, claims `username`, `iat` and `exp`.
 *
 * @module
 */

import { SignJWT } from "jose";
import { checkToken } from "./_token_check.ts";
import type { KeySet } from "./key_set.ts";
import { TokenError } from "./token_error.ts";

export { TokenError, type TokenErrorCode } from "./token_error.ts";

/** The verified claims of a token. */
export interface TokenClaims {
  /** Whose token it is. */
  username: string;
  /** Issued at, in seconds since the epoch. */
  iat: number;
  /** Expires at, in seconds since the epoch. */
  exp: number;
  /** The id of the key that signed it. */
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
  const claims = checkToken(
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

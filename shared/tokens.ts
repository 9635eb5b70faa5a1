/**
 * RS256 JWTs with a `kid`, claims `username`, `iat` and `exp`.
 *
 * @module
 */

import { errors, jwtVerify, SignJWT } from "jose";
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
 * expired, with a `username`.
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
 * const { username } = await verifyToken(keySet, jwt, new Date());
 * ```
 */
export async function verifyToken(
  keySet: KeySet,
  token: string,
  now: Date,
): Promise<TokenClaims> {
  const cache = verified.get(keySet) ?? new Map<string, TokenClaims>();
  const hit = cache.get(token);
  if (hit && hit.exp > now.getTime() / 1000) return hit;
  cache.delete(token);
  const claims = await verifyUncached(keySet, token, now);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(token, claims);
  verified.set(keySet, cache);
  return claims;
}

// A client sends the same token with every request, and a full RS256 check
// costs about 0.3 ms, so verified tokens are remembered until they expire.
// The cache belongs to one key set: after a rotation the new set starts
// empty, so a retired key's tokens are refused at once. The key is the whole
// token, signature included, so a forged token never matches.
const verified = new WeakMap<KeySet, Map<string, TokenClaims>>();
const CACHE_LIMIT = 10_000;

async function verifyUncached(
  keySet: KeySet,
  token: string,
  now: Date,
): Promise<TokenClaims> {
  let kid = "";
  try {
    const { payload } = await jwtVerify(token, (header) => {
      kid = header.kid ?? "";
      const key = keySet.verifiers.get(kid);
      if (header.alg !== "RS256") {
        throw new TokenError("bad_algorithm", "Token algorithm not allowed");
      }
      if (!key) {
        throw new TokenError("unknown_kid", "Token signed by an unknown key");
      }
      return key;
    }, {
      algorithms: ["RS256"],
      currentDate: now,
      requiredClaims: ["exp", "iat"],
    });
    if (typeof payload.username !== "string" || payload.username === "") {
      throw new TokenError("bad_claims", "Token has no username");
    }
    return {
      username: payload.username,
      iat: payload.iat!,
      exp: payload.exp!,
      kid,
    };
  } catch (error) {
    throw toTokenError(error);
  }
}

function toTokenError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  if (error instanceof errors.JWTExpired) {
    return new TokenError("expired", "Token expired");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenError("bad_signature", "Token signature invalid");
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TokenError("bad_algorithm", "Token algorithm not allowed");
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new TokenError("bad_claims", "Token claims invalid");
  }
  return new TokenError("malformed", "Token malformed", { cause: error });
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

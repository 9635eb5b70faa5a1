/**
 * RS256 JWTs with a `kid`, claims `username`, `iat` and `exp`, signed and
 * verified through jose (WebCrypto).
 *
 * @module
 */

import { errors, jwtVerify, SignJWT } from "jose";
import type { KeySet } from "./key_set.ts";
import { TokenError, type TokenErrorCode } from "./token_error.ts";

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

/** The longest lifetime a token may have (the users service's maximum): 30 days, in seconds. */
export const MAX_TOKEN_LIFETIME = 30 * 24 * 3600;

/** How far clocks may disagree between signer and verifier, in seconds. */
export const CLOCK_SKEW = 60;

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
 * import { loadKeySet, signToken } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 *
 * const reader = dirSecretReader("testing/testdata/keys");
 * const keySet = await loadKeySet({ reader, appEnv: "test", signs: true });
 * const jwt = await signToken(keySet, "ada", { lifetime: 3600, now: new Date() });
 * jwt.split(".").length; // 3
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
 * expired, issued no later than {@linkcode CLOCK_SKEW} from now, living no
 * longer than {@linkcode MAX_TOKEN_LIFETIME}, with a `username`, typed `JWT`
 * and written in canonical base64url. A token
 * verified before with the same key set is answered from memory until it
 * expires.
 *
 * @param keySet The accepted public keys.
 * @param token The compact JWT.
 * @param now The current time.
 * @returns The claims.
 * @throws {TokenError} With the reason it was refused.
 * @example Usage
 * ```ts
 * import { loadKeySet, signToken, verifyToken } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 *
 * const reader = dirSecretReader("testing/testdata/keys");
 * const keySet = await loadKeySet({ reader, appEnv: "test", signs: true });
 * const jwt = await signToken(keySet, "ada", { lifetime: 60, now: new Date() });
 * (await verifyToken(keySet, jwt, new Date())).username; // "ada"
 * ```
 */
export async function verifyToken(
  keySet: KeySet,
  token: string,
  now: Date,
): Promise<TokenClaims> {
  let cache = verified.get(keySet);
  const hit = cache?.get(token);
  if (hit && hit.exp > now.getTime() / 1000) return hit;
  const claims = await checkToken(keySet, token, now);
  if (!cache) verified.set(keySet, cache = new Map());
  cache.delete(token);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(token, claims);
  return claims;
}

// A client sends the same token with every request, so verified tokens are
// remembered until they expire. The cache belongs to one key set: after a
// rotation the new set starts empty, so a retired key's tokens are refused at
// once. The key is the whole token, signature included, so a forged token
// never matches.
const verified = new WeakMap<KeySet, Map<string, TokenClaims>>();
/** At most this many verified tokens are remembered per key set. */
const CACHE_LIMIT = 10_000;

async function checkToken(
  keySet: KeySet,
  token: string,
  now: Date,
): Promise<TokenClaims> {
  if (!isCanonicalCompact(token)) {
    throw new TokenError("malformed", "Token is not canonical base64url");
  }
  let kid = "";
  try {
    const { payload } = await jwtVerify(token, (header) => {
      kid = header.kid ?? "";
      const key = keySet.verifiers.get(kid);
      if (!key) {
        throw new TokenError("unknown_kid", "Token signed by an unknown key");
      }
      return key;
    }, {
      algorithms: ["RS256"],
      // A device token (`device+jwt`) is never an access token.
      typ: "JWT",
      currentDate: now,
      requiredClaims: ["exp", "iat"],
    });
    const { username, iat, exp } = payload;
    if (iat! > now.getTime() / 1000 + CLOCK_SKEW) {
      throw new TokenError("bad_claims", "Token issued in the future");
    }
    if (exp! - iat! > MAX_TOKEN_LIFETIME) {
      throw new TokenError("bad_claims", "Token lifetime exceeds the maximum");
    }
    if (typeof username !== "string" || username === "") {
      throw new TokenError("bad_claims", "Token has no username");
    }
    return { username, iat: iat!, exp: exp!, kid };
  } catch (error) {
    if (error instanceof TokenError) throw error;
    const [code, message] = reason(error);
    throw new TokenError(code, message, { cause: error });
  }
}

function reason(error: unknown): [TokenErrorCode, string] {
  if (error instanceof errors.JWTExpired) return ["expired", "Token expired"];
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return ["bad_algorithm", "Token algorithm not allowed"];
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return ["bad_signature", "Token signature invalid"];
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return ["bad_claims", "Token claims invalid"];
  }
  return ["malformed", "Token malformed"];
}

/**
 * Whether a compact JWS has three segments, each canonical base64url: no
 * padding, and zero bits past the last whole byte. A decoder that ignores
 * those bits reads one signature from several spellings; only one is
 * accepted, so a token is one string.
 *
 * @param token The compact JWS.
 * @returns `false` for any other spelling of the same bytes.
 * @example Usage
 * ```ts
 * import { isCanonicalCompact } from "@thoughts/shared/auth";
 *
 * isCanonicalCompact("e30.e30.QQ"); // true
 * isCanonicalCompact("e30.e30.QR"); // false: the same byte, written with stray bits
 * ```
 */
export function isCanonicalCompact(token: string): boolean {
  const segments = token.split(".");
  return segments.length === 3 && segments.every((segment) => {
    if (!/^[A-Za-z0-9_-]*$/.test(segment)) return false;
    try {
      // "strict" refuses stray bits; it wants the padding the JWS drops.
      Uint8Array.fromBase64(
        segment.padEnd(Math.ceil(segment.length / 4) * 4, "="),
        {
          alphabet: "base64url",
          lastChunkHandling: "strict",
        },
      );
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Extracts the token of an `Authorization: Bearer <jwt>` header; the scheme
 * in any case, as RFC 7235 has it.
 *
 * @param header The header value.
 * @returns The token.
 * @throws {TokenError} When the header is absent or not a bearer token.
 * @example Usage
 * ```ts
 * import { bearerToken } from "@thoughts/shared/auth";
 *
 * bearerToken("Bearer abc.def.ghi"); // "abc.def.ghi"
 * bearerToken("bearer abc.def.ghi"); // "abc.def.ghi"
 * ```
 */
export function bearerToken(header: string | undefined | null): string {
  if (!header) throw new TokenError("missing", "Authorization header required");
  const match = /^Bearer ([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*)$/i
    .exec(header.trim());
  if (!match) {
    throw new TokenError(
      "malformed",
      "Authorization header must be 'Bearer <token>'",
    );
  }
  return match[1]!;
}

/**
 * The check of one token not seen before: its JWS structure, its signature,
 * its claims.
 *
 * @module
 */

import { decodeBase64Url } from "./base64.ts";
import type { KeySet } from "./key_set.ts";
import { TokenError } from "./token_error.ts";
import type { TokenClaims } from "./tokens.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Checks a compact JWS token as RFC 7515 §5.2 and RFC 7519 §7.2 say, for
 * this system's tokens: RS256 only, a known `kid`, then the claims. The
 * header is trusted only to pick the key; the payload is read only once the
 * signature holds.
 *
 * @param keySet The accepted public keys.
 * @param token The compact JWT.
 * @param nowSeconds The current time in whole seconds.
 * @returns The claims.
 * @throws {TokenError} With the reason it was refused.
 */
export function checkToken(
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

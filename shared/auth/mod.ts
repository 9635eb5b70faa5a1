/**
 * Token keys and tokens: the key set read from `SECRETS_DIR`, kept current
 * by the key ring, and RS256 tokens signed and verified with it through
 * jose.
 *
 * @module
 */

export {
  ADMIN_TOKEN_FILE,
  ADMIN_TOKEN_MIN_LENGTH,
  readAdminToken,
} from "./admin_token.ts";
export { generateAdminToken, generateKeyPairPem } from "./generate.ts";
export { KeyError, type KeyErrorCode } from "./key_error.ts";
export { KeyRing, type KeyRingOptions, startKeyRing } from "./key_ring.ts";
export {
  keyId,
  type KeySet,
  keySetFromFiles,
  loadKeySet,
  type LoadKeySetOptions,
  PRIVATE_KEY_FILE,
  type PublicJwk,
  readKeyFiles,
  RS256_MIN_BITS,
} from "./key_set.ts";
export { TokenError, type TokenErrorCode } from "./token_error.ts";
export {
  bearerToken,
  CLOCK_SKEW,
  DEFAULT_TOKEN_LIFETIME,
  isCanonicalCompact,
  MAX_TOKEN_LIFETIME,
  signToken,
  type TokenClaims,
  verifyToken,
} from "./tokens.ts";

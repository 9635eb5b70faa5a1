/**
 * Why a token was refused, as one error type with a code.
 *
 * @module
 */

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
   * Creates the error.
   *
   * @param code Why it was refused.
   * @param message A client-safe description.
   * @param options The cause.
   */
  constructor(code: TokenErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TokenError";
    this.code = code;
  }
}

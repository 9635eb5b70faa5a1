/**
 * Why token keys could not be loaded, as one error type with a code.
 *
 * @module
 */

/** Why keys could not be loaded. */
export type KeyErrorCode = "missing" | "unreadable" | "test_key" | "weak";

/**
 * Why keys could not be loaded; the message names files, never their
 * content.
 *
 * @example Usage
 * ```ts
 * import { KeyError } from "@thoughts/shared/auth";
 *
 * new KeyError("No token keys in '/opt/keys'", { code: "missing" }).code; // "missing"
 * ```
 */
export class KeyError extends Error {
  /** Why the keys were refused. */
  readonly code: KeyErrorCode;

  /**
   * Creates the error.
   *
   * @param message What is wrong, naming files, never their content.
   * @param options The code (`unreadable` by default) and the cause.
   */
  constructor(
    message: string,
    options: ErrorOptions & { code?: KeyErrorCode } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "KeyError";
    this.code = options.code ?? "unreadable";
  }
}

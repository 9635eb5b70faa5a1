/**
 * The one error type that reaches HTTP clients, and the codes they can rely on.
 *
 * @module
 */

import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every machine-readable code an error response can carry. */
export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "too_many_requests"
  | "unavailable"
  | "bad_gateway"
  | "internal";

const DEFAULT_CODES: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "too_many_requests",
  502: "bad_gateway",
  503: "unavailable",
};

/** Options of {@linkcode HttpError}. */
export interface HttpErrorOptions {
  /** The machine-readable code; derived from the status when omitted. */
  code?: ErrorCode;
  /** The underlying error, kept for logs and never sent to the client. */
  cause?: unknown;
  /** Seconds after which the client may try again, sent as `Retry-After`. */
  retryAfter?: number;
}

/**
 * An error whose message is safe to show to the client.
 *
 * @example Usage
 * ```ts
 * import { HttpError } from "@thoughts/shared/http";
 *
 * const error = new HttpError(404, "Thought not found: '12'");
 * [error.status, error.code]; // [404, "not_found"]
 * ```
 */
export class HttpError extends Error {
  /** The HTTP status to answer with. */
  readonly status: ContentfulStatusCode;
  /** The machine-readable code of the JSON error body. */
  readonly code: ErrorCode;
  /** Seconds after which the client may try again, if it may. */
  readonly retryAfter?: number;

  /**
   * Creates the error; the code defaults to the status's usual one.
   *
   * @param status The HTTP status, 4xx or 5xx.
   * @param message A client-safe message, sentence case, no final period.
   * @param options The code, the cause and when to try again.
   */
  constructor(
    status: ContentfulStatusCode,
    message: string,
    options: HttpErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "HttpError";
    this.status = status;
    this.code = options.code ?? DEFAULT_CODES[status] ?? "internal";
    this.retryAfter = options.retryAfter;
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  /** The reason's code and a client-safe message. */
  error: { code: ErrorCode; message: string };
}

/**
 * Builds the JSON body of an error response.
 *
 * @param code The machine-readable code.
 * @param message The client-safe message.
 * @returns The body `{"error": {"code", "message"}}`.
 * @example Usage
 * ```ts
 * import { errorBody } from "@thoughts/shared/http";
 *
 * errorBody("not_found", "Not found"); // { error: { code: "not_found", message: "Not found" } }
 * ```
 */
export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

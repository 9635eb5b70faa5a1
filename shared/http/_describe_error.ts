/**
 * Maps every error a request can raise to the JSON error shape, hiding the
 * message of unexpected ones.
 *
 * @module
 */

import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorCode, HttpError } from "./http_error.ts";
import { StoreError } from "../store/database.ts";
import { TokenError } from "../auth/token_error.ts";

/** What a client is told about an error. */
export interface ErrorResponse {
  /** The HTTP status. */
  status: ContentfulStatusCode;
  /** The machine-readable reason. */
  code: ErrorCode;
  /** The client-safe message. */
  message: string;
  /** Whether it is the server's fault and worth logging with its cause. */
  unexpected: boolean;
  /** Seconds after which the client may try again, sent as `Retry-After`. */
  retryAfter?: number;
}

/** Describes an error for the client: status, code and a client-safe message. */
export function describeError(error: unknown): ErrorResponse {
  if (error instanceof HttpError) {
    // A refusal with a time to come back is a planned one (a bound on load),
    // not a failure to log with its stack.
    return {
      ...pick(error),
      unexpected: error.status >= 500 && error.retryAfter === undefined,
      ...(error.retryAfter !== undefined && { retryAfter: error.retryAfter }),
    };
  }
  if (error instanceof TokenError) {
    return {
      status: 401,
      code: "unauthorized",
      message: error.message,
      unexpected: false,
    };
  }
  if (
    error instanceof StoreError &&
    (error.code === "unavailable" || error.code === "disk_full")
  ) {
    return {
      status: 503,
      code: "unavailable",
      message: error.code === "disk_full"
        ? "Database storage full"
        : "Database unavailable",
      unexpected: true,
    };
  }
  if (error instanceof HTTPException && error.status < 500) {
    const http = new HttpError(error.status, error.message || "Bad request");
    return { ...pick(http), unexpected: false };
  }
  return {
    status: 500,
    code: "internal",
    message: "Internal server error",
    unexpected: true,
  };
}

function pick(error: HttpError): Omit<ErrorResponse, "unexpected"> {
  return { status: error.status, code: error.code, message: error.message };
}

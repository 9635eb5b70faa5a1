/**
 * One call to a backend, as every page makes it: the request ID passed on,
 * a timeout, a GET tried again on a dropped connection, and a failure
 * turned into a readable 502 or 503.
 *
 * @module
 */

import { HttpError, REQUEST_ID_HEADER } from "@thoughts/shared/http";
import type { Fetch } from "./backend_clients.ts";

/** Sends one request to a backend; see {@linkcode backendCall}. */
export type Call = (
  service: string,
  url: string,
  init: RequestInit,
  requestId: string,
  // A 503 that says when to come back is an answer for the page, not a failure.
  retryable?: boolean,
  send?: Fetch,
) => Promise<Response>;

/** The call to backends over `fetch`, each cut after `timeoutMs`. */
export function backendCall(fetch: Fetch, timeoutMs: number): Call {
  return async (
    service,
    url,
    init,
    requestId,
    retryable = false,
    send = fetch,
  ) => {
    const headers = new Headers(init.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    let response: Response | undefined;
    // A pod that is stopping drops its connections: a GET, safe to repeat,
    // gets a second connection. A POST may have been applied, and a timeout
    // repeated would double the wait: neither is tried again.
    const attempts = (init.method ?? "GET") === "GET" ? 2 : 1;
    for (let attempt = 1; response === undefined; attempt++) {
      try {
        response = await send(
          new Request(url, {
            ...init,
            headers,
            signal: AbortSignal.timeout(timeoutMs),
          }),
        );
      } catch (cause) {
        const timedOut = cause instanceof DOMException &&
          cause.name === "TimeoutError";
        if (attempt < attempts && !timedOut) continue;
        throw new HttpError(503, `The ${service} service is unavailable`, {
          cause,
        });
      }
    }
    if (
      response.status >= 500 &&
      !(retryable && response.headers.has("Retry-After"))
    ) {
      await response.body?.cancel();
      throw new HttpError(502, `The ${service} service failed`, {
        code: "bad_gateway",
      });
    }
    return response;
  };
}

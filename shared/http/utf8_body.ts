/**
 * Bodies must be valid UTF-8: a decoder that replaces bad bytes with U+FFFD
 * would store text the client never sent.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { HttpError } from "./http_error.ts";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;
const strict = new TextDecoder("utf-8", { fatal: true });

/**
 * Refuses a JSON or URL-encoded form body that is not valid UTF-8 with a
 * 400, before any handler reads it. A form's bytes are ASCII; its
 * percent-escapes must decode to UTF-8. Hono keeps the body read here, so
 * the handler's `json()` or `parseBody()` reads it again for free.
 *
 * @returns The middleware.
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { utf8Body } from "@thoughts/shared/http";
 *
 * const app = new Hono().use(utf8Body()).post("/", async (c) => c.json(await c.req.json()));
 * app.onError((error, c) => c.text(error.message, 400));
 * const body = new Uint8Array([0x22, 0xff, 0x22]); // "\xff" is no UTF-8
 * const headers = { "Content-Type": "application/json" };
 * (await app.request("/", { method: "POST", headers, body })).status; // 400
 * ```
 */
export function utf8Body(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header("Content-Type") ?? "";
    const form = FORM_TYPE.test(type);
    if (form || JSON_TYPE.test(type)) {
      try {
        const text = strict.decode(await c.req.arrayBuffer());
        if (form) {
          for (const part of text.split(/[&=]/)) {
            decodeURIComponent(part.replaceAll("+", " "));
          }
        }
      } catch (error) {
        // TextDecoder throws a TypeError, decodeURIComponent a URIError.
        if (!(error instanceof TypeError || error instanceof URIError)) {
          throw error;
        }
        throw new HttpError(400, "Request body is not valid UTF-8");
      }
    }
    await next();
  };
}

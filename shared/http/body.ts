/**
 * Bodies that come as JSON from API clients or as a form from browsers.
 *
 * @module
 */

import { HttpError } from "./http_error.ts";

const FORM = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Picks the validated body of a route that accepts JSON and forms. The
 * route's validators have already run for the matching content type; with
 * no content type at all there is no body to pick.
 *
 * @param contentType The request's `Content-Type` header.
 * @param json Returns the validated JSON body.
 * @param form Returns the validated form body.
 * @returns The body.
 * @throws {HttpError} 400 when the request has no body.
 * @example Usage
 * ```ts
 * import { jsonOrForm } from "@thoughts/shared/http";
 *
 * jsonOrForm("application/json", () => "json", () => "form"); // "json"
 * jsonOrForm("application/x-www-form-urlencoded", () => "json", () => "form"); // "form"
 * ```
 */
export function jsonOrForm<J, F>(
  contentType: string | undefined,
  json: () => J,
  form: () => F,
): J | F {
  if (!contentType) throw new HttpError(400, "Request body required");
  return FORM.test(contentType) ? form() : json();
}

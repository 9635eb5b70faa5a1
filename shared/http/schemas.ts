/**
 * Schemas every service's API shares: the error shape and the documented
 * error responses.
 *
 * @module
 */

import { z } from "@hono/zod-openapi";

/** The JSON error body: `{"error": {"code", "message"}}`. */
export const ErrorSchema: z.ZodObject<{
  error: z.ZodObject<{ code: z.ZodString; message: z.ZodString }>;
}> = z.object({
  error: z.object({
    code: z.string().openapi({ example: "not_found" }),
    message: z.string().openapi({ example: "Thought not found: '3'" }),
  }),
}).openapi("Error");

/**
 * Documents error responses with the shared error shape.
 *
 * @param statuses Each status and what it means for the route.
 * @returns Response objects for `createRoute`.
 * @example Usage
 * ```ts
 * import { errorResponses } from "@thoughts/shared/http";
 *
 * const responses = { ...errorResponses({ 404: "No such thought" }) };
 * ```
 */
export function errorResponses<S extends number>(
  statuses: Record<S, string>,
): Record<S, ErrorResponseObject> {
  // `Object.fromEntries` cannot carry the status keys' type through.
  return Object.fromEntries(
    Object.entries<string>(statuses).map(([status, description]) => [
      status,
      { description, content: { "application/json": { schema: ErrorSchema } } },
    ]),
  ) as Record<S, ErrorResponseObject>;
}

/** The response object {@linkcode errorResponses} makes for each status. */
export interface ErrorResponseObject {
  /** What the status means for the route. */
  description: string;
  /** The error body's schema. */
  content: { "application/json": { schema: typeof ErrorSchema } };
}

/**
 * A JSON response object for `createRoute`.
 *
 * @param schema The body schema.
 * @param description What the response means.
 * @returns The response object.
 * @example Usage
 * ```ts
 * import { jsonResponse } from "@thoughts/shared/http";
 * import { z } from "@hono/zod-openapi";
 *
 * const ok = jsonResponse(z.object({ status: z.string() }), "Alive");
 * ```
 */
export function jsonResponse<T extends z.ZodType>(
  schema: T,
  description: string,
): { description: string; content: { "application/json": { schema: T } } } {
  return { description, content: { "application/json": { schema } } };
}

/**
 * A request body accepted as JSON from API clients or as a form from
 * browsers, validated by one schema; read it with `jsonOrForm()`.
 *
 * @param schema The body schema.
 * @returns The `request.body` of `createRoute`.
 * @example Usage
 * ```ts
 * import { jsonOrFormBody } from "@thoughts/shared/http";
 * import { z } from "@hono/zod-openapi";
 *
 * const body = jsonOrFormBody(z.object({ text: z.string() }));
 * ```
 */
export function jsonOrFormBody<T extends z.ZodType>(schema: T): {
  content: {
    "application/json": { schema: T };
    "application/x-www-form-urlencoded": { schema: T };
  };
} {
  return {
    content: {
      "application/json": { schema },
      "application/x-www-form-urlencoded": { schema },
    },
  };
}

// No control character (Unicode Cc: C0, DEL, C1); the multi-line form keeps
// tab, line feed and carriage return.
const NO_CONTROL = /^\P{Cc}*$/u;
const NO_CONTROL_BUT_LINES = /^(?:[\t\n\r]|\P{Cc})*$/u;

/**
 * A string schema that refuses NUL and other control characters, which
 * PostgreSQL cannot store in text and no form sends: they get a 400 instead
 * of reaching the database.
 *
 * @param options `lineBreaks: true` keeps tab, line feed and carriage return (multi-line text).
 * @returns The zod string schema, to refine further (`.min()`, `.max()`).
 * @example Usage
 * ```ts
 * import { plainText } from "@thoughts/shared/http";
 *
 * plainText().safeParse("a\u0000b").success; // false
 * plainText({ lineBreaks: true }).safeParse("line 1\nline 2").success; // true
 * ```
 */
export function plainText(
  options: { lineBreaks?: boolean } = {},
): z.ZodString {
  return z.string().regex(
    options.lineBreaks ? NO_CONTROL_BUT_LINES : NO_CONTROL,
    "Control characters are not allowed",
  );
}

/**
 * A whole number in canonical decimal, as a path or query parameter: no
 * sign, no leading zero, no hexadecimal or exponent form, so each number has
 * one spelling (`0x1`, `1e0`, `+1` and `01` are refused with a 400).
 *
 * @param bounds The smallest and largest value accepted.
 * @returns The schema: a string in, a number out.
 * @example Usage
 * ```ts
 * import { decimalInteger } from "@thoughts/shared/http";
 *
 * decimalInteger({ min: 1, max: 100 }).parse("42"); // 42
 * decimalInteger({ min: 1, max: 100 }).safeParse("0x2a").success; // false
 * ```
 */
export function decimalInteger(
  bounds: { min: number; max: number },
): z.ZodPipe<
  z.ZodPipe<z.ZodString, z.ZodTransform<number, string>>,
  z.ZodNumber
> {
  return z.string()
    .regex(/^(?:0|[1-9][0-9]{0,15})$/, "Must be a whole number in decimal")
    .transform(Number)
    .pipe(z.number().int().min(bounds.min).max(bounds.max));
}

/**
 * The thoughts API's schemas: they validate requests and document the API.
 *
 * @module
 */

import { z } from "@hono/zod-openapi";
import { decimalInteger, plainText } from "@thoughts/shared/http";

/** A thought as the API shows it. */
export const ThoughtSchema = z.object({
  id: z.number().int().openapi({ example: 1 }),
  username: z.string().openapi({ example: "ada" }),
  text: z.string().openapi({
    example: "Analytical engines weave algebraic patterns",
  }),
  timestamp: z.string().openapi({
    format: "date-time",
    example: "2026-11-25T12:00:00.000Z",
  }),
}).openapi("Thought");

/** A list of thoughts. */
export const ThoughtListSchema = z.array(ThoughtSchema).openapi("ThoughtList");

// The trigram index finds a substring only by its runs of 3 letters or
// digits; without one a search would read every row.
const SEARCHABLE = /[\p{L}\p{N}]{3}/u;

/**
 * The query of the list endpoints: newest first by default, a page at a
 * time; the `Link` header's `next` and `prev` carry the cursors.
 */
export const ListQuery = z.object({
  search: plainText().max(200).refine(
    (search) => search === "" || SEARCHABLE.test(search),
    "A search needs at least 3 letters or digits in a row, such as 'tea'",
  ).optional().openapi({
    description:
      "Case-insensitive literal substring, with at least 3 letters or digits in a row (the trigram index serves nothing shorter); empty for all",
  }),
  order: z.enum(["desc", "asc"]).default("desc").openapi({
    description: "By id: newest first (`desc`) or oldest first (`asc`)",
  }),
  before: decimalInteger({ min: 1, max: 2_147_483_647 }).optional().openapi({
    description: "Only thoughts older than this id (a cursor from `Link`)",
    example: "1200",
  }),
  after: decimalInteger({ min: 0, max: 2_147_483_647 }).optional().openapi({
    description: "Only thoughts newer than this id (a cursor from `Link`)",
    example: "1180",
  }),
  limit: decimalInteger({ min: 1, max: 500 }).default(100).openapi({
    description: "Thoughts per page: 100 by default, at most 500",
  }),
  offset: decimalInteger({ min: 0, max: 10_000 }).default(0).openapi({
    description:
      "Thoughts to skip, for older clients; at most 10,000 (use the cursors)",
  }),
}).refine((q) => q.before === undefined || q.after === undefined, {
  message: "Give 'before' or 'after', not both",
});

/** The `Link` header of a page (RFC 8288), as the OpenAPI document shows it. */
export const LinkHeader = {
  Link: {
    description:
      'The next and previous pages, when they exist: `</api/thoughts/?before=1180&limit=20>; rel="next"`',
    schema: { type: "string" as const },
  },
};

/** The id in a path: a positive 32-bit integer, as the database stores it. */
export const IdParam = z.object({
  id: decimalInteger({ min: 1, max: 2_147_483_647 }).openapi({
    param: { name: "id", in: "path" },
    example: 1,
  }),
});

/** A new thought: 1–280 characters after trimming. */
export const NewThoughtBody = z.object({
  text: plainText({ lineBreaks: true }).trim().min(1).max(280).openapi({
    example: "Hello, world",
  }),
}).openapi("NewThought");

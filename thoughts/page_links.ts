/**
 * The `Link` header of a page of thoughts (RFC 8288): where the next and the
 * previous page start, as cursors on the request's own query.
 *
 * @module
 */

import type { Page } from "./store.ts";

/**
 * The `Link` header value for a page, or `undefined` when it has neither a
 * next nor a previous page.
 *
 * @param url The request's URL; its other parameters are kept.
 * @param page The page.
 * @param order The page's order.
 * @returns The header value, with paths relative to the host.
 * @example Usage
 * ```ts
 * import { pageLinks } from "./page_links.ts";
 *
 * const thought = { id: 7, username: "ada", text: "Hi", timestamp: new Date(0) };
 * pageLinks("http://x/api/thoughts/?limit=1", { thoughts: [thought], more: true, earlier: false }, "desc");
 * // '</api/thoughts/?limit=1&before=7>; rel="next"'
 * ```
 */
export function pageLinks(
  url: string,
  page: Page,
  order: "asc" | "desc",
): string | undefined {
  const first = page.thoughts[0];
  const last = page.thoughts.at(-1);
  if (!first || !last) return undefined;
  const link = (cursor: "before" | "after", id: number, rel: string) => {
    const target = new URL(url);
    for (const name of ["before", "after", "offset"]) {
      target.searchParams.delete(name);
    }
    target.searchParams.set(cursor, String(id));
    return `<${target.pathname}${target.search}>; rel="${rel}"`;
  };
  const [forward, back] = order === "desc"
    ? ["before", "after"] as const
    : ["after", "before"] as const;
  const links = [
    ...(page.more ? [link(forward, last.id, "next")] : []),
    ...(page.earlier ? [link(back, first.id, "prev")] : []),
  ];
  return links.length ? links.join(", ") : undefined;
}

/**
 * The `Link` header of a page of thoughts (RFC 8288): where the next and the
 * previous page start, as cursors on the request's own query.
 *
 * @module
 */

import type { Page } from "./store.ts";

const CURSOR = /^(before|after|offset)(=|$)/;

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
 * const thought = { id: 7, username: "ada", text: "Hi", timestamp: "1970-01-01T00:00:00.000Z" };
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
  // The request's own path and parameters, as sent, less any cursor: plain
  // string work, where parsing the URL cost a list request 4 % of its CPU.
  const pathAt = url.indexOf("/", url.indexOf("//") + 2);
  const queryAt = url.indexOf("?", pathAt);
  const path = url.slice(pathAt, queryAt < 0 ? undefined : queryAt);
  const kept = queryAt < 0 ? [] : url.slice(queryAt + 1).split("&").filter(
    (pair) => pair !== "" && !CURSOR.test(pair),
  );
  const link = (cursor: "before" | "after", id: number, rel: string) =>
    `<${path}?${[...kept, `${cursor}=${id}`].join("&")}>; rel="${rel}"`;
  const [forward, back] = order === "desc"
    ? ["before", "after"] as const
    : ["after", "before"] as const;
  const links = [
    ...(page.more ? [link(forward, last.id, "next")] : []),
    ...(page.earlier ? [link(back, first.id, "prev")] : []),
  ];
  return links.length ? links.join(", ") : undefined;
}

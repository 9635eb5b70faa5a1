/**
 * What the frontend's routes share: their Hono environment, the page
 * layout, form fields and list cursors.
 *
 * @module
 */

import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { HttpError } from "@thoughts/shared/http";
import type { Cursor, ThoughtPage } from "../backend_clients.ts";
import type { Session } from "../session.ts";
import { Layout } from "../views/layout.tsx";
import type { Pager } from "../views/pages.tsx";

/** The frontend's Hono environment: the request ID and the session. */
export type FrontendEnv = {
  Variables: { requestId: string; session: Session | null };
};

/** A request's context in the frontend. */
export type FrontendContext = Context<FrontendEnv>;

/** Renders `body` in the layout, with the logged-in user's name. */
export function page(
  c: FrontendContext,
  title: string,
  body: Child,
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  const session = c.get("session");
  return c.html(
    <Layout title={title} path={c.req.path} username={session?.username}>
      {body}
    </Layout>,
    status,
  );
}

/** A field of the posted form; 415 when the body is not a form. */
export async function formField(
  c: FrontendContext,
  name: string,
): Promise<string> {
  const type = c.req.header("Content-Type") ?? "";
  if (
    !/^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(type)
  ) {
    throw new HttpError(415, "Expected a form");
  }
  const value = (await c.req.parseBody())[name];
  return typeof value === "string" ? value : "";
}

/**
 * The page a list starts at: `before` or `after` in canonical decimal; any
 * other value shows the first page.
 */
export function cursorOf(c: FrontendContext): Cursor {
  const id = (name: string) => {
    const value = c.req.query(name) ?? "";
    return /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : undefined;
  };
  const before = id("before");
  return before !== undefined ? { before } : { after: id("after") };
}

/** The links of a page's neighbours: the page's own query plus a cursor. */
export function pagerOf(
  path: string,
  page: ThoughtPage,
  query: Record<string, string> = {},
): Pager {
  const link = (cursor: "after" | "before", id: number) =>
    `${path}?${new URLSearchParams({ ...query, [cursor]: String(id) })}`;
  return {
    ...(page.newer !== undefined && { newer: link("after", page.newer) }),
    ...(page.older !== undefined && { older: link("before", page.older) }),
  };
}

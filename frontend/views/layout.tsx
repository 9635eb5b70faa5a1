/**
 * The page frame: head, navigation, main.
 *
 * @module
 */

import type { Child } from "hono/jsx";

/** Properties of {@linkcode Layout}. */
export interface LayoutProps {
  title: string;
  /** The logged-in user, if any. */
  username?: string;
  /** The current path, marked in the navigation. */
  path: string;
  children?: Child;
}

const LINKS: [string, string][] = [["/thoughts/", "My thoughts"], [
  "/search",
  "Search",
], ["/admin/versions/", "Versions"]];

/**
 * Renders a full HTML page.
 *
 * @param props The title, user, current path and content.
 * @returns The page.
 * @example Usage
 * ```tsx
 * <Layout title="Search" path="/search"><p>Hi</p></Layout>
 * ```
 */
export function Layout(props: LayoutProps): Child {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Thoughts</title>
        <link rel="stylesheet" href="/static/style.css" />
      </head>
      <body>
        <header>
          <nav>
            <a class="brand" href="/">Thoughts</a>
            {LINKS.map(([href, label]) => (
              <a
                href={href}
                aria-current={props.path === href ? "page" : undefined}
              >
                {label}
              </a>
            ))}
            {props.username
              ? (
                <span>
                  <span class="meta">{props.username}</span> · <LogoutButton />
                </span>
              )
              : <a href="/login/">Log in</a>}
          </nav>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/**
 * Logging out is a form post, so a link or image on another site cannot end
 * the session.
 *
 * @returns The form with its button.
 * @example Usage
 * ```tsx
 * <LogoutButton />
 * ```
 */
export function LogoutButton(): Child {
  return (
    <form class="logout" method="post" action="/logout/">
      <button type="submit">Log out</button>
    </form>
  );
}

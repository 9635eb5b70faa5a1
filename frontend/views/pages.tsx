/**
 * The pages. Every user-supplied string goes through JSX, which escapes it.
 *
 * @module
 */

import type { Child } from "hono/jsx";
import type { Thought } from "../backend_clients.ts";
import type { ServiceStatus } from "../versions.ts";

function ThoughtList(props: { thoughts: Thought[]; empty: string }): Child {
  if (props.thoughts.length === 0) return <p class="meta">{props.empty}</p>;
  return (
    <ul class="thoughts">
      {props.thoughts.map((t) => (
        <li data-id={String(t.id)}>
          <div class="text">{t.text}</div>
          <div class="meta">
            {t.username} ·{" "}
            <time datetime={t.timestamp}>
              {t.timestamp.slice(0, 16).replace("T", " ")}
            </time>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Where the neighbouring pages of a list are, as links. */
export interface Pager {
  /** The newer page's address, when there is one. */
  newer?: string;
  /** The older page's address, when there is one. */
  older?: string;
}

// Links to the neighbouring pages; the end of the list said as such.
function PagerNav(props: { pager: Pager; shown: number }): Child {
  const { newer, older } = props.pager;
  if (!newer && !older && props.shown === 0) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {newer && <a href={newer} rel="prev">Newer</a>}
      {older
        ? <a href={older} rel="next">Older</a>
        : <span class="meta">End of the list</span>}
    </nav>
  );
}

/**
 * The logged-in user's thoughts, newest first, and the form to post.
 *
 * @param props The thoughts and a message about the last post.
 * @returns The page content.
 * @example Usage
 * ```tsx
 * <ThoughtsPage thoughts={[]} />
 * ```
 */
export function ThoughtsPage(
  props: { thoughts: Thought[]; pager?: Pager; error?: string; text?: string },
): Child {
  return (
    <div class="stack">
      <h1>My thoughts</h1>
      <form class="card stack" method="post" action="/thoughts/new">
        <label for="text">New thought</label>
        <textarea id="text" name="text" maxlength={280} required>
          {props.text ?? ""}
        </textarea>
        {props.error && <p class="error" role="alert">{props.error}</p>}
        <button type="submit">Post</button>
      </form>
      <ThoughtList
        thoughts={props.thoughts}
        empty="No thoughts yet. Post your first one above."
      />
      <PagerNav pager={props.pager ?? {}} shown={props.thoughts.length} />
    </div>
  );
}

/**
 * The login form.
 *
 * @param props The name typed and an error message.
 * @returns The page content.
 * @example Usage
 * ```tsx
 * <LoginPage />
 * ```
 */
export function LoginPage(props: { username?: string; error?: string }): Child {
  return (
    <div class="stack">
      <h1>Log in</h1>
      <form class="card stack" method="post" action="/login/">
        <div>
          <label for="username">Username</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            required
            value={props.username ?? ""}
          />
        </div>
        <div>
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
        </div>
        {props.error && <p class="error" role="alert">{props.error}</p>}
        <button type="submit">Log in</button>
      </form>
    </div>
  );
}

/**
 * Public search over all thoughts.
 *
 * @param props The search text and the results.
 * @returns The page content.
 * @example Usage
 * ```tsx
 * <SearchPage search="hello" thoughts={[]} />
 * ```
 */
export function SearchPage(
  props: {
    search: string;
    thoughts: Thought[];
    pager?: Pager;
    notice?: string;
  },
): Child {
  return (
    <div class="stack">
      <h1>Search</h1>
      <form class="inline" method="get" action="/search">
        <input
          type="search"
          name="search"
          value={props.search}
          aria-label="Search text"
        />
        <button type="submit">Search</button>
      </form>
      {props.notice && <p class="meta" role="status">{props.notice}</p>}
      <ThoughtList thoughts={props.thoughts} empty="Nothing matches." />
      <PagerNav pager={props.pager ?? {}} shown={props.thoughts.length} />
    </div>
  );
}

/**
 * Every service's version, commit and minimum check.
 *
 * @param props The statuses.
 * @returns The page content.
 * @example Usage
 * ```tsx
 * <VersionsPage services={[]} />
 * ```
 */
export function VersionsPage(props: { services: ServiceStatus[] }): Child {
  return (
    <div class="stack">
      <h1>Versions</h1>
      <table>
        <thead>
          <tr>
            <th>Service</th>
            <th>Version</th>
            <th>Commit</th>
            <th>Minimum</th>
          </tr>
        </thead>
        <tbody>
          {props.services.map((s) => (
            <tr data-service={s.service}>
              <td>
                {s.service}
                <div class={s.reachable ? "meta ok" : "meta error"}>
                  {s.reachable ? "reachable" : `unreachable: ${s.error}`}
                </div>
              </td>
              <td>
                <code>{s.version ?? "—"}</code>
              </td>
              <td>
                {s.commit
                  ? <code title={s.commit}>{s.commit.slice(0, 7)}</code>
                  : "—"}
              </td>
              <td>
                {s.minimum === undefined
                  ? "—"
                  : (
                    <span class={s.satisfied ? "ok" : "error"}>
                      {`${s.minimum}: ${s.satisfied ? "holds" : "not met"}`}
                    </span>
                  )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A readable error, never a stack trace.
 *
 * @param props The status and message.
 * @returns The page content.
 * @example Usage
 * ```tsx
 * <ErrorPage status={503} message="The thoughts service is unavailable" />
 * ```
 */
export function ErrorPage(props: { status: number; message: string }): Child {
  return (
    <div class="card stack">
      <h1>Something went wrong</h1>
      <p class="error">{props.message}</p>
      <p class="meta">
        Error {props.status}. Try again in a moment, or go back to the{" "}
        <a href="/">front page</a>.
      </p>
    </div>
  );
}

/**
 * Asks before logging out: the link someone followed (or a page of another
 * site) cannot end a session, only the form post can.
 *
 * @returns The page content.
 * @example Usage
 * ```tsx
 * <LogoutPage />
 * ```
 */
export function LogoutPage(): Child {
  return (
    <div class="card stack">
      <h1>Log out</h1>
      <form method="post" action="/logout/">
        <button type="submit">Log out</button>
      </form>
    </div>
  );
}

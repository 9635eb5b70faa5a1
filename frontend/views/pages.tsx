/**
 * The pages. Every user-supplied string goes through JSX, which escapes it.
 *
 * @module
 */

import type { Child } from "hono/jsx";
import type { Thought } from "../backend_clients.ts";
import type { VersionsView } from "../versions.ts";

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
 * Every service's versions with their replica counts, and the dependency
 * graph: each requirement of each running version, and whether it holds.
 *
 * @param props The dashboard's facts.
 * @returns The page content.
 * @example Usage
 * ```tsx
 * <VersionsPage view={{ services: [], edges: [], warnings: [] }} />
 * ```
 */
export function VersionsPage(props: { view: VersionsView }): Child {
  const { services, edges, warnings } = props.view;
  return (
    <div class="stack">
      <h1>Versions</h1>
      {warnings.length > 0 && (
        <ul class="warnings">
          {warnings.map(warningItem)}
        </ul>
      )}
      <table>
        <thead>
          <tr>
            <th>Service</th>
            <th>Version</th>
            <th>Commit</th>
            <th>Replicas</th>
          </tr>
        </thead>
        {services.map(serviceRows)}
      </table>
      <h2>Dependencies</h2>
      <table class="edges">
        <thead>
          <tr>
            <th>Dependent</th>
            <th>Needs</th>
            <th>Minimum</th>
            <th>Running</th>
            <th>Holds</th>
          </tr>
        </thead>
        <tbody>
          {edges.map(edgeRow)}
        </tbody>
      </table>
    </div>
  );
}

// One service's rows: a row per running version, or one saying it is
// unreachable.
function serviceRows(s: VersionsView["services"][number]): Child {
  return (
    <tbody data-service={s.service}>
      {s.versions.length === 0 && (
        <tr>
          <td>
            {s.service}
            <div class="meta error">{`unreachable: ${s.error}`}</div>
          </td>
          <td>—</td>
          <td>—</td>
          <td>—</td>
        </tr>
      )}
      {s.versions.map((v, i) => (
        <tr data-version={v.version}>
          <td>
            {i === 0 ? s.service : ""}
            {i === 0 && (
              <div class={s.error ? "meta error" : "meta ok"}>
                {s.error ?? "reachable"}
              </div>
            )}
          </td>
          <td>
            <code>{v.version}</code>
          </td>
          <td>
            {v.commit
              ? <code title={v.commit}>{v.commit.slice(0, 7)}</code>
              : "—"}
          </td>
          <td title={v.instances?.join(", ")}>
            {`${v.replicas} ${v.replicas === 1 ? "replica" : "replicas"}`}
          </td>
        </tr>
      ))}
    </tbody>
  );
}

// One requirement of a running version, and whether it holds.
function edgeRow(e: VersionsView["edges"][number]): Child {
  return (
    <tr data-from={e.from} data-to={e.to}>
      <td>
        {e.from} <code>{e.fromVersion}</code>
      </td>
      <td>{e.to}</td>
      <td>
        <code>{e.minimum}</code>
      </td>
      <td>{e.running.join(", ") || "—"}</td>
      <td class={e.holds ? "ok" : "error"}>
        {e.replicas === 0
          ? "unknown"
          : e.holds
          ? `holds on ${e.replicas} of ${e.replicas}`
          : `not met on ${e.below} of ${e.replicas}`}
      </td>
    </tr>
  );
}

function warningItem(warning: string): Child {
  return <li class="error">{warning}</li>;
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

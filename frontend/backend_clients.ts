/**
 * The frontend's calls to the backends, with timeouts, the request ID
 * passed on, and failures turned into readable 502/503 errors.
 *
 * @module
 */

import { HttpError } from "@thoughts/shared/http";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { backendCall, type Call } from "./_backend_call.ts";

/** Sends a request to another service: the seam between the frontend and the network. */
export type Fetch = (request: Request) => Promise<Response>;

/** A thought as the backend returns it. */
export interface Thought {
  /** The thought's id. */
  id: number;
  /** Who wrote it. */
  username: string;
  /** What it says. */
  text: string;
  /** When it was posted, ISO 8601 in UTC. */
  timestamp: string;
}

/** Options of {@linkcode createBackends}. */
export interface BackendOptions {
  /** The users service's base URL. */
  usersUrl: string;
  /** The thoughts service's base URL. */
  thoughtsUrl: string;
  /** How requests are sent; the global `fetch` in production. */
  fetch: Fetch;
  /**
   * How `version()` asks: over a fresh connection each time in production,
   * so that a Service's every replica can answer; `fetch` by default.
   */
  sampleFetch?: Fetch;
  /** How long a backend call may take before it fails. */
  timeoutMs: number;
}

/** Where a page starts: after a newer thought's id, or before an older one's. */
export type Cursor = { before?: number; after?: number };

/** A page of thoughts, newest first, with the cursors of its neighbours. */
export interface ThoughtPage {
  thoughts: Thought[];
  /** The `before` cursor of the older page, when there is one. */
  older?: number;
  /** The `after` cursor of the newer page, when there is one. */
  newer?: number;
  /** Why the backend refused the search (a search too short), when it did. */
  refused?: string;
}

/** Thoughts per page in the frontend. */
export const PAGE_SIZE = 20;

// The cursors of a backend page's Link header (RFC 8288).
function neighbours(link: string | null): Pick<ThoughtPage, "older" | "newer"> {
  const cursor = (rel: string, name: string) => {
    const target = new RegExp(`<([^>]+)>;\\s*rel="${rel}"`).exec(link ?? "")
      ?.[1];
    const value = target &&
      new URL(target, "http://x").searchParams.get(name);
    return value ? Number(value) : undefined;
  };
  return { older: cursor("next", "before"), newer: cursor("prev", "after") };
}

/** The outcome of a login: the bearer and device tokens, or why there are none. */
export type LoginResult = { ok: true; token: string; deviceToken?: string } | {
  ok: false;
  status: ContentfulStatusCode;
  message: string;
};

/** One login, as the browser asked for it. */
export interface LoginRequest {
  username: string;
  password: string;
  /** The page's request ID, passed on. */
  requestId: string;
  /** The browser's address, passed on as `X-Forwarded-For`. */
  client: string;
  /** The browser's device token of an earlier login, if it has one. */
  deviceToken?: string;
}

/** The outcome of posting a thought. */
export type PostResult = { ok: true } | {
  ok: false;
  status: number;
  message: string;
};

/** The backend calls the pages make. */
export interface Backends {
  /** A bearer token and a device token, or the users service's reason for refusing them. */
  login(request: LoginRequest): Promise<LoginResult>;
  /** A page of the user's thoughts; `null` when the backend refuses the token. */
  myThoughts(
    token: string,
    requestId: string,
    cursor?: Cursor,
  ): Promise<ThoughtPage | null>;
  /** Posts a thought as the token's user. */
  post(token: string, text: string, requestId: string): Promise<PostResult>;
  /** A page of everyone's thoughts containing the text. */
  search(
    text: string,
    requestId: string,
    cursor?: Cursor,
  ): Promise<ThoughtPage>;
  /** `GET <url>/admin/version/` as JSON. */
  version(url: string, requestId: string): Promise<Record<string, unknown>>;
  /** Resolves when both backends answer `/healthz`. */
  ping(): Promise<void>;
}

const NAMES = { users: "users", thoughts: "thoughts" } as const;

/**
 * Creates the backend client.
 *
 * @param options The URLs, the fetch and the timeout.
 * @returns The client.
 * @example Usage
 * ```ts
 * import { createBackends } from "./backend_clients.ts";
 *
 * const backends = createBackends({
 *   usersUrl: "http://users-service",
 *   thoughtsUrl: "http://thoughts-service",
 *   fetch: (request) => Promise.resolve(Response.json({ version: "v2.3", url: request.url })),
 *   timeoutMs: 5000,
 * });
 * (await backends.version("http://users-service", "req-1")).url; // "http://users-service/admin/version/"
 * ```
 */
export function createBackends(options: BackendOptions): Backends {
  const { usersUrl, thoughtsUrl } = options;
  const call = backendCall(options.fetch, options.timeoutMs);
  return {
    login: (request) => login(call, usersUrl, request),
    myThoughts: (token, requestId, cursor = {}) =>
      myThoughts(call, thoughtsUrl, token, requestId, cursor),
    post: (token, text, requestId) =>
      post(call, thoughtsUrl, token, text, requestId),
    search: (text, requestId, cursor = {}) =>
      search(call, thoughtsUrl, text, requestId, cursor),
    async version(url, requestId) {
      const res = await call(
        new URL(url).host,
        `${url}/admin/version/`,
        {},
        requestId,
        false,
        options.sampleFetch,
      );
      if (!res.ok) {
        throw new HttpError(502, `'${url}' answered ${res.status}`, {
          code: "bad_gateway",
        });
      }
      return await res.json();
    },
    async ping() {
      await Promise.all([usersUrl, thoughtsUrl].map(async (url) => {
        const res = await call(
          new URL(url).host,
          `${url}/healthz`,
          {},
          crypto.randomUUID(),
        );
        await res.body?.cancel();
        if (!res.ok) throw new HttpError(503, `'${url}' is not healthy`);
      }));
    },
  };
}

const json = (body: unknown) => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function login(
  call: Call,
  usersUrl: string,
  { username, password, requestId, client, deviceToken }: LoginRequest,
): Promise<LoginResult> {
  const init = json({ username, password });
  // The users service counts failures per source, and spares devices that
  // logged in before: pass both on. The header is replaced, not appended
  // to: the frontend is the one trusted hop in front of users.
  const res = await call(
    NAMES.users,
    `${usersUrl}/api/login/`,
    {
      ...init,
      headers: {
        ...init.headers,
        "X-Forwarded-For": client,
        ...(deviceToken && { "X-Device-Token": deviceToken }),
      },
    },
    requestId,
    true,
  );
  if (res.status === 401 || res.status === 400) {
    await res.body?.cancel();
    return { ok: false, status: 401, message: "Wrong username or password" };
  }
  const body = await res.json();
  if (!res.ok) {
    return {
      ok: false,
      status: refusal(res.status),
      message: body.error.message,
    };
  }
  const token = String(body.Authorized ?? "").replace(/^Bearer /, "");
  const device = body.device_token;
  return {
    ok: true,
    token,
    ...(typeof device === "string" && { deviceToken: device }),
  };
}

async function myThoughts(
  call: Call,
  thoughtsUrl: string,
  token: string,
  requestId: string,
  cursor: Cursor,
): Promise<ThoughtPage | null> {
  const res = await call(
    NAMES.thoughts,
    `${thoughtsUrl}/api/me/thoughts/?${pageQuery(cursor)}`,
    { headers: bearer(token) },
    requestId,
  );
  if (res.status === 401) return (await res.body?.cancel(), null);
  return {
    thoughts: await res.json(),
    ...neighbours(res.headers.get("Link")),
  };
}

async function post(
  call: Call,
  thoughtsUrl: string,
  token: string,
  text: string,
  requestId: string,
): Promise<PostResult> {
  const init = json({ text });
  const res = await call(
    NAMES.thoughts,
    `${thoughtsUrl}/api/me/thoughts/`,
    { ...init, headers: { ...init.headers, ...bearer(token) } },
    requestId,
  );
  if (res.status === 201) return (await res.body?.cancel(), { ok: true });
  const body = await res.json().catch(() => ({}));
  return {
    ok: false,
    status: res.status,
    message: body?.error?.message ?? "The thought was refused",
  };
}

async function search(
  call: Call,
  thoughtsUrl: string,
  text: string,
  requestId: string,
  cursor: Cursor,
): Promise<ThoughtPage> {
  const res = await call(
    NAMES.thoughts,
    `${thoughtsUrl}/api/thoughts/?${pageQuery(cursor, { search: text })}`,
    {},
    requestId,
  );
  if (res.status === 400) {
    const body = await res.json().catch(() => ({}));
    return {
      thoughts: [],
      refused: body?.error?.message ?? "The search was refused",
    };
  }
  return {
    thoughts: await res.json(),
    ...neighbours(res.headers.get("Link")),
  };
}

function pageQuery(cursor: Cursor, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...extra, limit: String(PAGE_SIZE) });
  if (cursor.before !== undefined) query.set("before", String(cursor.before));
  else if (cursor.after !== undefined) query.set("after", String(cursor.after));
  return query.toString();
}

// A backend's refusal, passed on to the browser: an error status, or 502
// for a status no refusal should have.
function refusal(status: number): ContentfulStatusCode {
  return isErrorStatus(status) ? status : 502;
}

const isErrorStatus = (status: number): status is ContentfulStatusCode =>
  status >= 400 && status <= 599;

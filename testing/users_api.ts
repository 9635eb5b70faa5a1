/**
 * A small client of the users service's API: create an account, log in.
 *
 * @module
 */

import { TEST_ADMIN_TOKEN } from "./test_keys.ts";

/** Accounts and logins through a running users service's API. */
export interface UsersApi {
  /** Creates an account through the users API. */
  createUser(username: string, password: string): Promise<void>;
  /** Logs in through the users API; returns the `Authorized` value (`Bearer …`). */
  login(username: string, password: string): Promise<string>;
}

/**
 * A client of the users API for the development seed, the bench and the
 * tests, failing loudly when an account cannot be created or a login is
 * refused.
 *
 * @param url The users service's base URL.
 * @param fetcher Sends a request; the global `fetch` by default, an app's
 * `request` for one served in process.
 * @param adminToken The admin token accounts are created with; the test one
 * by default.
 * @returns The client.
 * @throws {Error} From its methods, with the status and the service's answer, when a
 * call is refused.
 * @example Usage
 * ```ts
 * import { usersApi } from "./users_api.ts";
 *
 * // A stand-in users service that creates every account and logs it in.
 * const answer = (path: string) =>
 *   path === "/admin/users/"
 *     ? Response.json({ id: 1 }, { status: 201 })
 *     : Response.json({ Authorized: "Bearer a.b.c" });
 * const api = usersApi("http://users", (url) => Promise.resolve(answer(new URL(url).pathname)));
 * await api.createUser("ada", "correct horse");
 * await api.login("ada", "correct horse"); // "Bearer a.b.c"
 * ```
 */
export function usersApi(
  url: string,
  fetcher: (url: string, init: RequestInit) => Promise<Response> = fetch,
  adminToken: string = TEST_ADMIN_TOKEN,
): UsersApi {
  const post = (path: string, username: string, password: string) =>
    fetcher(`${url}${path}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(path.startsWith("/admin/") && { "X-Admin-Token": adminToken }),
      },
      body: JSON.stringify({ username, password }),
    });
  return {
    async createUser(username, password) {
      const res = await post("/admin/users/", username, password);
      if (res.status !== 201) {
        throw new Error(
          `Cannot create user '${username}': ${res.status} ${await res.text()}`,
        );
      }
      await res.body?.cancel();
    },
    async login(username, password) {
      const res = await post("/api/login/", username, password);
      if (res.status !== 200) {
        throw new Error(
          `Cannot log in as '${username}': ${res.status} ${await res.text()}`,
        );
      }
      return (await res.json()).Authorized;
    },
  };
}

/**
 * Sample data for a first local run, through the services' own APIs.
 *
 * @module
 */

/** The sample accounts; development passwords, printed in the console. */
export const SAMPLE_USERS = [
  { username: "ada", password: "analytical-engine" },
  { username: "grace", password: "compiler-1952" },
] as const;

const SAMPLE_THOUGHTS: Record<string, string[]> = {
  ada: [
    "The engine weaves algebraic patterns like a loom weaves flowers",
    "Imagination is the discovering faculty",
  ],
  grace: [
    "It is easier to ask forgiveness than permission",
    "A ship in port is safe, but that is not what ships are for",
  ],
};

async function check(res: Response, what: string): Promise<Response> {
  if (!res.ok) {
    throw new Error(`${what} failed: ${res.status} ${await res.text()}`);
  }
  return res;
}

/**
 * Creates the sample users and their thoughts.
 *
 * @param usersUrl The users service.
 * @param thoughtsUrl The thoughts service.
 * @example Usage
 * ```ts
 * import { seed } from "./seed.ts";
 *
 * await seed("http://127.0.0.1:8002", "http://127.0.0.1:8001");
 * ```
 */
export async function seed(
  usersUrl: string,
  thoughtsUrl: string,
): Promise<void> {
  for (const { username, password } of SAMPLE_USERS) {
    const json = { "Content-Type": "application/json" };
    const body = JSON.stringify({ username, password });
    await (await check(
      await fetch(`${usersUrl}/admin/users/`, {
        method: "POST",
        headers: json,
        body,
      }),
      "Create user",
    ))
      .body?.cancel();
    const login = await check(
      await fetch(`${usersUrl}/api/login/`, {
        method: "POST",
        headers: json,
        body,
      }),
      "Login",
    );
    const { Authorized } = await login.json();
    for (const text of SAMPLE_THOUGHTS[username] ?? []) {
      const res = await fetch(`${thoughtsUrl}/api/me/thoughts/`, {
        method: "POST",
        headers: { ...json, Authorization: Authorized },
        body: JSON.stringify({ text }),
      });
      await (await check(res, "Post thought")).body?.cancel();
    }
  }
}

/**
 * A small client of the thoughts service's API: post a thought.
 *
 * @module
 */

/**
 * Posts a thought as the holder of a token, for the development seed and
 * the bench, failing loudly when the service refuses it.
 *
 * @param url The thoughts service's base URL.
 * @param authorization The `Authorization` value, `Bearer <token>`.
 * @param text The thought.
 * @returns When the thought is stored.
 * @throws {Error} With the status and the service's answer, when refused.
 * @example Usage
 * ```ts
 * import { postThought } from "./thoughts_api.ts";
 *
 * // A stand-in for the thoughts service that takes every thought.
 * await using server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen() {} },
 *   () => Response.json({ id: 1 }, { status: 201 }),
 * );
 * await postThought(`http://127.0.0.1:${server.addr.port}`, "Bearer a.b.c", "Hello, world");
 * ```
 */
export async function postThought(
  url: string,
  authorization: string,
  text: string,
): Promise<void> {
  const res = await fetch(`${url}/api/me/thoughts/`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: authorization,
    },
    body: JSON.stringify({ text }),
  });
  if (res.status !== 201) {
    throw new Error(`Cannot post a thought: ${res.status} ${await res.text()}`);
  }
  await res.body?.cancel();
}

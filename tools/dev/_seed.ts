/**
 * Sample data for a first local run, through the services' own APIs.
 *
 * @module
 */

import { postThought, usersApi } from "@thoughts/testing";

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

/**
 * Creates the sample users and their thoughts.
 *
 * @throws {Error} When a service refuses an account, a login or a thought.
 */
export async function seed(
  usersUrl: string,
  thoughtsUrl: string,
  adminToken: string,
): Promise<void> {
  const api = usersApi(usersUrl, fetch, adminToken);
  for (const { username, password } of SAMPLE_USERS) {
    await api.createUser(username, password);
    const authorization = await api.login(username, password);
    for (const text of SAMPLE_THOUGHTS[username] ?? []) {
      await postThought(thoughtsUrl, authorization, text);
    }
  }
}

/**
 * The admin credential: the file `admin_token` in `SECRETS_DIR`, which admin
 * writes must present in the header `X-Admin-Token`.
 *
 * @module
 */

import type { SecretReader } from "../config/secrets.ts";
import { KeyError } from "./key_error.ts";

/** The file in `SECRETS_DIR` holding the admin token. */
export const ADMIN_TOKEN_FILE = "admin_token";

/** The shortest admin token accepted: 32 characters, as `deno task secrets` writes 43. */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

// SHA-256 of testing/testdata/keys/admin_token, refused in production as the
// test key is: it is in git. A digest, so no credential sits in runtime code.
const TEST_TOKEN_SHA256 =
  "6c4e0743b45b0d43f66b07de908765e9cfd96d269cae43ffa3a63fa0013ce8be";

const sha256Hex = async (text: string) =>
  new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  ).toHex();

/**
 * Reads the admin token; a service without one refuses every admin write.
 *
 * @param reader The secrets folder.
 * @param appEnv The environment; production refuses the test token.
 * @returns The token, or `undefined` when the folder has no `admin_token`.
 * @throws {KeyError} When the file is unreadable, shorter than
 *   {@linkcode ADMIN_TOKEN_MIN_LENGTH} (`weak`), or the test token in
 *   production (`test_key`).
 * @example Usage
 * ```ts
 * import { readAdminToken } from "@thoughts/shared/auth";
 * import { memorySecretReader } from "@thoughts/shared/config";
 *
 * await readAdminToken(memorySecretReader({}), "production"); // undefined
 * const reader = memorySecretReader({ admin_token: "short\n" });
 * await readAdminToken(reader, "test").catch((error) => error.code); // "weak"
 * ```
 */
export async function readAdminToken(
  reader: SecretReader,
  appEnv: string,
): Promise<string | undefined> {
  if (!(await reader.list()).includes(ADMIN_TOKEN_FILE)) return undefined;
  const token = await reader.read(ADMIN_TOKEN_FILE).then(
    (text) => text.trim(),
    (cause) => {
      throw new KeyError(
        `Cannot read '${ADMIN_TOKEN_FILE}' in '${reader.location}'`,
        { cause },
      );
    },
  );
  if (token.length < ADMIN_TOKEN_MIN_LENGTH) {
    throw new KeyError(
      `'${ADMIN_TOKEN_FILE}' in '${reader.location}' is shorter than ${ADMIN_TOKEN_MIN_LENGTH} characters; run 'deno task secrets'`,
      { code: "weak" },
    );
  }
  if (appEnv === "production" && await sha256Hex(token) === TEST_TOKEN_SHA256) {
    throw new KeyError(
      `'${ADMIN_TOKEN_FILE}' in '${reader.location}' is the test token from git; run 'deno task secrets'`,
      { code: "test_key" },
    );
  }
  return token;
}

/**
 * Device tokens, after OWASP's device cookies: a client that logged in to an
 * account holds one, signed like the access tokens (RS256 with a `kid`,
 * through jose) but typed `device+jwt`, so neither passes for the other.
 * With it, the account's lockouts do not apply to that client: strangers
 * cannot lock the owner out.
 *
 * @module
 */

import { jwtVerify, SignJWT } from "jose";
import { isCanonicalCompact, type KeySet } from "@thoughts/shared/auth";

/** The `typ` of a device token. */
export const DEVICE_TOKEN_TYPE = "device+jwt";

/** The longest lifetime a device token may have: one year, in seconds. */
export const MAX_DEVICE_LIFETIME = 365 * 24 * 3600;

/** What a device token vouches for. */
export interface Device {
  /** The account's id. */
  userId: number;
  /** The account's name key (case-folded), so a login can be matched before any lookup. */
  name: string;
  /** The device's id: its failures are counted under it. */
  id: string;
}

/**
 * Signs a device token.
 *
 * @param keySet Keys with a signer.
 * @param device The account and device.
 * @param options The lifetime in seconds and the issue time.
 * @returns The compact JWT.
 * @throws {Error} When the key set has no signing key.
 * @example Usage
 * ```ts
 * import { loadKeySet } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 * import { readDeviceToken, signDeviceToken } from "./device_tokens.ts";
 *
 * const keys = await loadKeySet({ reader: dirSecretReader("testing/testdata/keys"), appEnv: "test", signs: true });
 * const now = new Date();
 * const token = await signDeviceToken(keys, { userId: 1, name: "ada", id: "d-1" }, { lifetime: 3600, now });
 * (await readDeviceToken(keys, token, now))?.id; // "d-1"
 * ```
 */
export async function signDeviceToken(
  keySet: KeySet,
  device: Device,
  options: { lifetime: number; now: Date },
): Promise<string> {
  if (!keySet.signer) throw new Error("No signing key loaded");
  const iat = Math.floor(options.now.getTime() / 1000);
  return await new SignJWT({ name: device.name })
    .setProtectedHeader({
      alg: "RS256",
      typ: DEVICE_TOKEN_TYPE,
      kid: keySet.signer.kid,
    })
    .setSubject(String(device.userId))
    .setJti(device.id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + options.lifetime)
    .sign(keySet.signer.key);
}

/**
 * Reads a device token: signed by a key of the set, typed `device+jwt`,
 * canonical base64url, not expired, living no longer than
 * {@linkcode MAX_DEVICE_LIFETIME}.
 *
 * @param keySet The accepted public keys.
 * @param token The token as the client sent it, if any.
 * @param now The current time.
 * @returns The device; `undefined` for no token or any refused one (the
 *   client is then a stranger, which is no error).
 * @example Usage
 * ```ts
 * import { loadKeySet } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 * import { readDeviceToken } from "./device_tokens.ts";
 *
 * const keys = await loadKeySet({ reader: dirSecretReader("testing/testdata/keys"), appEnv: "test", signs: false });
 * await readDeviceToken(keys, "not.a.token", new Date()); // undefined
 * ```
 */
export async function readDeviceToken(
  keySet: KeySet,
  token: string | undefined,
  now: Date,
): Promise<Device | undefined> {
  if (!token || token.length > 4096 || !isCanonicalCompact(token)) return;
  try {
    const { payload } = await jwtVerify(token, (header) => {
      const key = keySet.verifiers.get(header.kid ?? "");
      if (!key) throw new Error("Unknown key");
      return key;
    }, {
      algorithms: ["RS256"],
      typ: DEVICE_TOKEN_TYPE,
      currentDate: now,
      requiredClaims: ["exp", "iat", "sub", "jti"],
    });
    const { sub, jti, name, iat, exp } = payload;
    const userId = Number(sub);
    if (
      !Number.isSafeInteger(userId) || String(userId) !== sub ||
      typeof name !== "string" || exp! - iat! > MAX_DEVICE_LIFETIME
    ) return;
    return { userId, name, id: jti! };
  } catch {
    return;
  }
}

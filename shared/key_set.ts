/**
 * Token keys: every `*.pub` in the secrets folder is a key verifiers accept,
 * named by its `kid` (the RFC 7638 thumbprint); `private_key.pem` signs.
 *
 * @module
 */

import {
  calculateJwkThumbprint,
  exportJWK,
  importPKCS8,
  importSPKI,
  type JWK,
} from "jose";
import { Rs256Key } from "./rs256.ts";
import type { SecretReader } from "./secrets.ts";
import { TEST_PRIVATE_KEY_PEM, TEST_PUBLIC_KEY_PEM } from "./test_keys.ts";
import type { AppEnv } from "./variables.ts";

/** The file name of the signing key. */
export const PRIVATE_KEY_FILE = "private_key.pem";

/** The keys a service holds at one moment. */
export interface KeySet {
  /** Public keys by `kid`. */
  readonly verifiers: ReadonlyMap<string, Rs256Key>;
  /** The public keys as a JWK Set. */
  readonly jwks: { keys: JWK[] };
  /** The signing key and its `kid`, when loaded. */
  readonly signer?: { kid: string; key: CryptoKey };
  /** Whether these are the built-in test keys. */
  readonly isTestKeys: boolean;
}

/** Why keys could not be loaded. */
export class KeyError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong, naming files, never their content.
   * @param options The cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "KeyError";
  }
}

/** Options of {@linkcode loadKeySet}. */
export interface LoadKeySetOptions {
  /** The secrets folder. */
  reader: SecretReader;
  /** Production refuses missing keys and the test keys. */
  appEnv: AppEnv;
  /** Whether this service signs (only the users service). */
  signs: boolean;
}

const ALG = "RS256";

async function publicEntry(pem: string): Promise<[string, Rs256Key, JWK]> {
  const jwk = await exportJWK(
    await importSPKI(pem, ALG, { extractable: true }),
  );
  const kid = await calculateJwkThumbprint(jwk, "sha256");
  return [kid, Rs256Key.fromJwk(jwk), { ...jwk, kid, alg: ALG, use: "sig" }];
}

/**
 * The `kid` of a PEM public key: its RFC 7638 SHA-256 thumbprint.
 *
 * @param pem An SPKI PEM public key.
 * @returns The thumbprint, base64url.
 * @throws {TypeError} When the text is not a public key.
 * @example Usage
 * ```ts
 * import { keyId, TEST_PUBLIC_KEY_PEM } from "@thoughts/shared";
 *
 * await keyId(TEST_PUBLIC_KEY_PEM); // e.g. "0JQ…"
 * ```
 */
export async function keyId(pem: string): Promise<string> {
  return (await publicEntry(pem))[0];
}

async function fromFiles(
  files: ReadonlyMap<string, string>,
  signs: boolean,
  isTestKeys: boolean,
): Promise<KeySet> {
  const verifiers = new Map<string, Rs256Key>();
  const keys: JWK[] = [];
  for (const [name, pem] of files) {
    if (!name.endsWith(".pub")) continue;
    const [kid, key, jwk] = await publicEntry(pem).catch((cause) => {
      // A size or exponent refusal names no key material, so it is shown.
      const reason = cause instanceof RangeError ? ` (${cause.message})` : "";
      throw new KeyError(`Cannot read public key file: '${name}'${reason}`, {
        cause,
      });
    });
    verifiers.set(kid, key);
    keys.push(jwk);
  }
  let signer: KeySet["signer"];
  const privatePem = files.get(PRIVATE_KEY_FILE);
  if (signs && privatePem !== undefined) {
    const key = await importPKCS8(privatePem, ALG, { extractable: true }).catch(
      (cause) => {
        throw new KeyError(
          `Cannot read private key file: '${PRIVATE_KEY_FILE}' (expected PKCS#8 PEM)`,
          { cause },
        );
      },
    );
    const { e, n, kty } = await exportJWK(key);
    const kid = await calculateJwkThumbprint({ e, n, kty }, "sha256");
    // Tokens signed with a key no verifier holds yet would all be refused.
    if (!verifiers.has(kid)) {
      throw new KeyError(
        `The public half of '${PRIVATE_KEY_FILE}' (kid '${kid}') is not among the published '*.pub' keys`,
      );
    }
    signer = { kid, key };
  }
  return Object.freeze({ verifiers, jwks: { keys }, signer, isTestKeys });
}

/**
 * Loads the key set from the secrets folder. Outside production an empty
 * folder falls back to the built-in test keys; in production the service
 * refuses to start without keys, or on the test keys.
 *
 * @param options The folder, the environment and whether the service signs.
 * @returns The key set.
 * @throws {KeyError} When keys are missing, unreadable, or test keys in production.
 * @example Usage
 * ```ts
 * import { dirSecretReader, loadKeySet } from "@thoughts/shared";
 *
 * const keys = await loadKeySet({ reader: dirSecretReader("/opt/keys"), appEnv: "production", signs: false });
 * ```
 */
export async function loadKeySet(options: LoadKeySetOptions): Promise<KeySet> {
  return await keySetFromFiles(
    await readKeyFiles(options.reader, options.signs),
    options,
  );
}

/**
 * Reads the key files a service uses: every `*.pub`, and `private_key.pem`
 * when it signs. A verifier never reads the private key.
 *
 * @param reader The secrets folder.
 * @param signs Whether the service signs.
 * @returns File names to contents.
 * @example Usage
 * ```ts
 * import { dirSecretReader, readKeyFiles } from "@thoughts/shared";
 *
 * const files = await readKeyFiles(dirSecretReader("/opt/keys"), false);
 * ```
 */
export async function readKeyFiles(
  reader: SecretReader,
  signs: boolean,
): Promise<Map<string, string>> {
  const names = (await reader.list()).filter((name) =>
    name.endsWith(".pub") || (signs && name === PRIVATE_KEY_FILE)
  );
  const files = new Map<string, string>();
  for (const name of names) files.set(name, await reader.read(name));
  return files;
}

/**
 * Builds the key set from key files already read, with the same rules as
 * {@linkcode loadKeySet}.
 *
 * @param files File names to contents.
 * @param options The folder (for messages), the environment and whether the service signs.
 * @returns The key set.
 * @throws {KeyError} When keys are missing, unreadable, or test keys in production.
 * @example Usage
 * ```ts
 * import { keySetFromFiles, memorySecretReader } from "@thoughts/shared";
 *
 * await keySetFromFiles(new Map(), { reader: memorySecretReader({}), appEnv: "test", signs: true });
 * ```
 */
export async function keySetFromFiles(
  files: ReadonlyMap<string, string>,
  options: LoadKeySetOptions,
): Promise<KeySet> {
  const { reader, appEnv, signs } = options;
  const names = [...files.keys()];
  const hasPublic = names.some((name) => name.endsWith(".pub"));
  const complete = hasPublic && (!signs || files.has(PRIVATE_KEY_FILE));
  if (!complete) {
    const wanted = signs
      ? `'${PRIVATE_KEY_FILE}' and a '*.pub' key`
      : "a '*.pub' key";
    if (appEnv === "production" || names.length > 0) {
      throw new KeyError(
        `No token keys in '${reader.location}': expected ${wanted}`,
      );
    }
    return await fromFiles(
      new Map([["test_key.pub", TEST_PUBLIC_KEY_PEM], [
        PRIVATE_KEY_FILE,
        TEST_PRIVATE_KEY_PEM,
      ]]),
      signs,
      true,
    );
  }
  const keySet = await fromFiles(files, signs, false);
  if (appEnv === "production") {
    const testKid = await keyId(TEST_PUBLIC_KEY_PEM);
    if (keySet.verifiers.has(testKid)) {
      throw new KeyError(
        `Refusing the built-in test key in production (found in '${reader.location}')`,
      );
    }
  }
  return keySet;
}

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
import type { SecretReader } from "../config/secrets.ts";
import type { AppEnv } from "../config/variables.ts";
import { KeyError } from "./key_error.ts";

/** The file name of the signing key. */
export const PRIVATE_KEY_FILE = "private_key.pem";

/** The smallest RSA modulus accepted, in bits (RFC 7518 §3.3). */
export const RS256_MIN_BITS = 2048;

// The kid of the key pair under testing/testdata: it is in git, so it must
// never be trusted in production.
const TEST_KEY_KID = "7_CYX40F0zofZ0pt1w-_TmfdyAW3N5JjZPzVdZDQGME";

/** A published public key, as `/.well-known/jwks.json` lists it. */
export interface PublicJwk extends JWK {
  /** Always `RSA`. */
  kty: "RSA";
  /** The RFC 7638 thumbprint. */
  kid: string;
  /** The modulus, base64url. */
  n: string;
  /** The public exponent, base64url. */
  e: string;
  /** Always `RS256`. */
  alg: "RS256";
  /** Always `sig`. */
  use: "sig";
}

/** The keys a service holds at one moment. */
export interface KeySet {
  /** Public keys by `kid`. */
  readonly verifiers: ReadonlyMap<string, CryptoKey>;
  /** The public keys as a JWK Set. */
  readonly jwks: { keys: PublicJwk[] };
  /** The signing key and its `kid`, when loaded. */
  readonly signer?: { kid: string; key: CryptoKey };
}

/** Options of {@linkcode loadKeySet}. */
export interface LoadKeySetOptions {
  /** The secrets folder. */
  reader: SecretReader;
  /** Production refuses the test keys kept in git. */
  appEnv: AppEnv;
  /** Whether this service signs (only the users service). */
  signs: boolean;
}

const ALG = "RS256";

async function publicEntry(
  pem: string,
): Promise<[string, CryptoKey, PublicJwk]> {
  const key = await importSPKI(pem, ALG, { extractable: true });
  const bits = (key.algorithm as RsaHashedKeyAlgorithm).modulusLength;
  if (bits < RS256_MIN_BITS) {
    throw new RangeError(
      `RSA modulus too short for RS256: ${bits} bits (at least ${RS256_MIN_BITS})`,
    );
  }
  const { n = "", e = "" } = await exportJWK(key);
  const kid = await calculateJwkThumbprint({ kty: "RSA", n, e }, "sha256");
  return [kid, key, { kty: "RSA", n, e, kid, alg: ALG, use: "sig" }];
}

/**
 * The `kid` of a PEM public key: its RFC 7638 SHA-256 thumbprint.
 *
 * @param pem An SPKI PEM public key.
 * @returns The thumbprint, base64url.
 * @throws {TypeError} When the text is not a public key.
 * @example Usage
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import { keyId } from "@thoughts/shared/auth";
 *
 * const pem = await readFile("testing/testdata/keys/public_key.pub", "utf8");
 * (await keyId(pem)).length; // 43
 * ```
 */
export async function keyId(pem: string): Promise<string> {
  return (await publicEntry(pem))[0];
}

async function fromFiles(
  files: ReadonlyMap<string, string>,
  signs: boolean,
): Promise<KeySet> {
  const verifiers = new Map<string, CryptoKey>();
  const keys: PublicJwk[] = [];
  for (const [name, pem] of files) {
    if (!name.endsWith(".pub")) continue;
    const [kid, key, jwk] = await publicEntry(pem).catch((cause) => {
      // A size refusal names no key material, so it is shown.
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
  return Object.freeze({ verifiers, jwks: { keys }, signer });
}

/**
 * Loads the key set from the secrets folder. Every environment refuses to
 * start without keys; production also refuses the test keys kept in git.
 *
 * @param options The folder, the environment and whether the service signs.
 * @returns The key set.
 * @throws {KeyError} When keys are missing, unreadable, or test keys in production.
 * @example Usage
 * ```ts
 * import { loadKeySet } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 *
 * const reader = dirSecretReader("testing/testdata/keys");
 * const keys = await loadKeySet({ reader, appEnv: "test", signs: false });
 * keys.verifiers.size; // 1
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
 * import { readKeyFiles } from "@thoughts/shared/auth";
 * import { dirSecretReader } from "@thoughts/shared/config";
 *
 * const files = await readKeyFiles(dirSecretReader("testing/testdata/keys"), false);
 * [...files.keys()]; // ["public_key.pub"]
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
 * import { keySetFromFiles } from "@thoughts/shared/auth";
 * import { memorySecretReader } from "@thoughts/shared/config";
 *
 * const reader = memorySecretReader({});
 * await keySetFromFiles(new Map(), { reader, appEnv: "test", signs: false })
 *   .catch((error) => error.code); // "missing"
 * ```
 */
export async function keySetFromFiles(
  files: ReadonlyMap<string, string>,
  options: LoadKeySetOptions,
): Promise<KeySet> {
  const { reader, appEnv, signs } = options;
  const hasPublic = [...files.keys()].some((name) => name.endsWith(".pub"));
  if (!hasPublic || (signs && !files.has(PRIVATE_KEY_FILE))) {
    const wanted = signs
      ? `'${PRIVATE_KEY_FILE}' and a '*.pub' key`
      : "a '*.pub' key";
    throw new KeyError(
      `No token keys in '${reader.location}': expected ${wanted}; run 'deno task dev' (development keys) or 'deno task secrets' (a cluster's)`,
      { code: "missing" },
    );
  }
  const keySet = await fromFiles(files, signs);
  if (appEnv === "production" && keySet.verifiers.has(TEST_KEY_KID)) {
    throw new KeyError(
      `Refusing the test key kept in git (testing/testdata) in production (found in '${reader.location}')`,
      { code: "test_key" },
    );
  }
  return keySet;
}

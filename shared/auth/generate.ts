/**
 * Fresh secrets in the files' formats: RSA key pairs and the admin token,
 * for development, the Kubernetes secret and rotation.
 *
 * @module
 */

function pem(label: string, der: ArrayBuffer): string {
  const lines = new Uint8Array(der).toBase64().match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${
    lines.join("\n")
  }\n-----END ${label}-----\n`;
}

/**
 * Generates an RSA key pair for RS256.
 *
 * @param modulusLength The key size in bits; 2048 unless a test needs a
 * size the services refuse.
 * @returns The private key (PKCS#8 PEM) and public key (SPKI PEM).
 * @example Usage
 * ```ts
 * import { generateKeyPairPem } from "@thoughts/shared/auth";
 *
 * const { privatePem, publicPem } = await generateKeyPairPem();
 * ```
 */
export async function generateKeyPairPem(modulusLength = 2048): Promise<
  { privatePem: string; publicPem: string }
> {
  const pair = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  return {
    privatePem: pem(
      "PRIVATE KEY",
      await crypto.subtle.exportKey("pkcs8", pair.privateKey),
    ),
    publicPem: pem(
      "PUBLIC KEY",
      await crypto.subtle.exportKey("spki", pair.publicKey),
    ),
  };
}

/**
 * Generates an admin token: 32 random bytes, base64url, 43 characters.
 *
 * @returns The token, with a final newline as the file holds it.
 * @example Usage
 * ```ts
 * import { generateAdminToken } from "@thoughts/shared/auth";
 *
 * generateAdminToken().trim().length; // 43
 * ```
 */
export function generateAdminToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `${bytes.toBase64({ alphabet: "base64url", omitPadding: true })}\n`;
}

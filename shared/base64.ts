/**
 * Base64 for key files and hashes; `@std/encoding` lives on JSR, out of
 * reach here, and `btoa`/`atob` suffice for these small values.
 *
 * @module
 */

/**
 * Encodes bytes as standard base64.
 *
 * @param bytes The bytes.
 * @returns The base64 text.
 * @example Usage
 * ```ts
 * import { encodeBase64 } from "@thoughts/shared";
 *
 * encodeBase64(new Uint8Array([1, 2])); // "AQI="
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Decodes standard base64.
 *
 * @param text The base64 text.
 * @returns The bytes.
 * @throws {DOMException} When the text is not base64.
 * @example Usage
 * ```ts
 * import { decodeBase64 } from "@thoughts/shared";
 *
 * decodeBase64("AQI="); // Uint8Array [1, 2]
 * ```
 */
export function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

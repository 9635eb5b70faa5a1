// Base64 without @std/encoding (JSR is out of reach); btoa suffices here.
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The config checksum annotation: a hash of the ConfigMap data a pod uses,
 * so a change to the ConfigMap changes the pod template and rolls the pods.
 *
 * @module
 */

/** The annotation on pod templates. */
export const CHECKSUM_ANNOTATION = "checksum/shared-config";

/** The SHA-256 of ConfigMap data, independent of key order. */
export async function configChecksum(
  data: Record<string, string>,
): Promise<string> {
  const canonical = JSON.stringify(
    Object.keys(data).sort().map((k) => [k, data[k]]),
  );
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(canonical),
  );
  return `sha256:${
    [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0"))
      .join("")
  }`;
}

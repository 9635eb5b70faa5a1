/**
 * Checks that `/docs/` loads with nothing fetched from outside the service.
 *
 * @module
 */

import type { Env, Hono } from "hono";
import { assertEquals, assertOk, assertStringIncludes } from "./assert.ts";

/**
 * Loads `/docs/`, then every asset it references; each must be relative
 * (served by the service) and answer 200 with the right type.
 *
 * @param app The app.
 * @param title The page title.
 * @returns The asset paths fetched.
 * @throws {AssertionError} When an asset is external or missing.
 * @example Usage
 * ```ts
 * import { createServiceApp } from "@thoughts/shared/http";
 * import { memoryLogger } from "@thoughts/shared/log";
 * import { checkDocsPage } from "./docs_check.ts";
 *
 * const info = { service: "users", version: "v2.3", commit: "c".repeat(40), source: "stamped", requires: {} } as const;
 * const app = createServiceApp({ info, logger: memoryLogger().logger, title: "Users Backend API", docs: true });
 * await checkDocsPage(app, "Users Backend API");
 * ```
 */
export async function checkDocsPage<E extends Env>(
  app: Hono<E>,
  title: string,
): Promise<string[]> {
  const res = await app.request("/docs/");
  assertEquals(res.status, 200);
  const html = await res.text();
  assertStringIncludes(html, `<title>${title}</title>`);
  const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  assertOk(refs.length >= 3, `expected assets, found ${refs}`);
  const fetched: string[] = [];
  for (const ref of refs) {
    assertOk(
      !/^([a-z]+:)?\/\//i.test(ref),
      `asset loaded from outside: ${ref}`,
    );
    const asset = await app.request(
      new URL(ref, "http://service/docs/").pathname,
    );
    assertEquals(asset.status, 200, ref);
    assertOk((await asset.arrayBuffer()).byteLength > 0, ref);
    fetched.push(ref);
  }
  const init = await (await app.request("/docs/docs-init.js")).text();
  assertStringIncludes(init, '"../openapi.json"');
  return fetched;
}

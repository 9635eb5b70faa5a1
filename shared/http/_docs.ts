/**
 * The interactive API page, `/docs/`: Swagger UI with its assets served by
 * the service from the npm package, never from a CDN, since clusters often
 * have no internet.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import process from "node:process";
import type { Env, Hono } from "hono";
// The package's main module loads the 1.5 MB browser bundle into V8; this
// file only says where the assets are.
import getAbsoluteFSPath from "swagger-ui-dist/absolute-path.js";

const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "docs-init.js": "text/javascript; charset=utf-8",
};

// The init script is a file of its own so that the page needs no inline script.
const INIT = `window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({ url: "../openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
`;

const PAGE = (title: string) =>
  `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="stylesheet" href="swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script src="docs-init.js"></script>
</body>
</html>
`;

const cache = new Map<string, Promise<Uint8Array>>();

// A bundle's assets sit beside it (build.ts puts them there); from source
// they are in the npm package, which a bundle cannot locate (Bun even
// answers with the bundle's own folder).
const BESIDE = `${dirname(process.argv[1] ?? ".")}/swagger-ui`;
let dir: string | undefined;
const assetDir = () =>
  dir ??= existsSync(`${BESIDE}/swagger-ui.css`) ? BESIDE : getAbsoluteFSPath();

function asset(name: string): Promise<Uint8Array> {
  let bytes = cache.get(name);
  if (!bytes) {
    bytes = name === "docs-init.js"
      ? Promise.resolve(new TextEncoder().encode(INIT))
      : readFile(`${assetDir()}/${name}`);
    cache.set(name, bytes);
  }
  return bytes;
}

/**
 * Serves `/docs/` and its assets.
 *
 * @param app The service app, which serves `/openapi.json`.
 * @param title The page title.
 */
export function registerDocs<E extends Env>(app: Hono<E>, title: string): void {
  // The app answers both slash forms; the page's relative asset links need
  // the one with the slash.
  app.get(
    "/docs",
    (c) =>
      new URL(c.req.url).pathname.endsWith("/")
        ? c.html(PAGE(title))
        : c.redirect("/docs/", 301),
  );
  app.get("/docs/:asset", async (c) => {
    const name = c.req.param("asset");
    const type = ASSETS[name];
    if (!type) return c.notFound();
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(await asset(name) as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": type,
    });
  });
}

/**
 * Headless Chromium from Debian's package, driven by playwright-core, as the
 * browser tests start it. A module of its own (`@thoughts/testing/browser`),
 * so tests without a browser do not load Playwright.
 *
 * @module
 */

import { type Browser, chromium } from "playwright-core";

// Without the background-networking flags Chromium keeps trying hosts this
// closed network refuses.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Starts `/usr/bin/chromium` headless.
 *
 * @returns The browser; close it when done.
 * @example Usage
 * ```ts
 * import { launchChromium } from "./browser.ts";
 *
 * const browser = await launchChromium();
 * await browser.close();
 * ```
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
}

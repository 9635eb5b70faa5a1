/**
 * Usernames: shown as chosen (after NFKC, which turns fullwidth and other
 * compatibility forms into their plain letters), unique case-insensitively,
 * and never mixing scripts the way look-alike names do (Latin `a` beside
 * Cyrillic `а`).
 *
 * @module
 */

const SCRIPTS = [
  "Latin",
  "Greek",
  "Cyrillic",
  "Armenian",
  "Hebrew",
  "Arabic",
  "Devanagari",
  "Bengali",
  "Thai",
  "Georgian",
  "Ethiopic",
  "Hangul",
  "Hiragana",
  "Katakana",
  "Han",
  "Bopomofo",
].map((name) => ({ name, pattern: new RegExp(`\\p{Script=${name}}`, "u") }));

// The mixes Unicode's "highly restrictive" level (UTS #39) allows: the
// writing systems of Japanese, Chinese and Korean, each with Latin.
const ALLOWED_MIXES = [
  ["Latin", "Han", "Hiragana", "Katakana"],
  ["Latin", "Han", "Bopomofo"],
  ["Latin", "Han", "Hangul"],
];

/**
 * Whether a name's letters come from one script, or from one of the mixes
 * Japanese, Chinese and Korean names use; digits and `.`, `_`, `-` belong
 * to every script.
 *
 * @param name The name.
 * @returns `false` for mixed-script names such as Latin with Cyrillic.
 * @example Usage
 * ```ts
 * import { singleScript } from "./username.ts";
 *
 * singleScript("ada_1815"); // true
 * singleScript("\u0430da"); // false: Cyrillic а, then Latin d and a
 * singleScript("山田taro"); // true
 * ```
 */
export function singleScript(name: string): boolean {
  const scripts = new Set<string>();
  for (const char of name) {
    if (!/\p{L}/u.test(char)) continue;
    scripts.add(SCRIPTS.find((s) => s.pattern.test(char))?.name ?? "Other");
  }
  return scripts.size <= 1 ||
    ALLOWED_MIXES.some((mix) => [...scripts].every((s) => mix.includes(s)));
}

/**
 * The form two names are compared in: NFKC, then lower case, so `Alice`,
 * `ALICE` and fullwidth `Ａｌｉｃｅ` are one account.
 *
 * @param name The name as typed.
 * @returns Its comparison key.
 * @example Usage
 * ```ts
 * import { usernameKey } from "./username.ts";
 *
 * usernameKey("ＡＬＩＣＥ"); // "alice"
 * ```
 */
export function usernameKey(name: string): string {
  return name.normalize("NFKC").toLowerCase();
}

/**
 * Usernames: shown as chosen (after NFKC, which turns fullwidth and other
 * compatibility forms into their plain letters), unique case-insensitively,
 * and held to Unicode's "highly restrictive" level (UTS #39): one script
 * per name, or one of the mixes Japanese, Chinese and Korean names use,
 * from the scripts recommended for identifiers (UAX #31), and no generic
 * combining marks, the stuff of look-alike names.
 *
 * @module
 */

// UAX #31, Table 4: the scripts recommended for identifiers (Common and
// Inherited aside).
const RECOMMENDED = [
  "Arabic",
  "Armenian",
  "Bengali",
  "Bopomofo",
  "Cyrillic",
  "Devanagari",
  "Ethiopic",
  "Georgian",
  "Greek",
  "Gujarati",
  "Gurmukhi",
  "Han",
  "Hangul",
  "Hebrew",
  "Hiragana",
  "Kannada",
  "Katakana",
  "Khmer",
  "Lao",
  "Latin",
  "Malayalam",
  "Myanmar",
  "Oriya",
  "Sinhala",
  "Tamil",
  "Telugu",
  "Thaana",
  "Thai",
  "Tibetan",
].map((name) => ({ name, pattern: new RegExp(`\\p{scx=${name}}`, "u") }));

// UTS #39's augmented script sets: the writing systems of Japanese
// (Jpan), Chinese (Hanb) and Korean (Kore).
const AUGMENT: Record<string, string[]> = {
  Han: ["Hanb", "Jpan", "Kore"],
  Hiragana: ["Jpan"],
  Katakana: ["Jpan"],
  Hangul: ["Kore"],
  Bopomofo: ["Hanb"],
};

// Marks of the Inherited script (U+0300 … and the like) attach to any
// letter; a script's own marks (Devanagari's vowel signs) are its letters.
const GENERIC_MARK = /\p{Script=Inherited}/u;
const EVERY_SCRIPT = /^[0-9._-]$/;

// A character's augmented scripts; null for one in every script (digits,
// `.`, `_`, `-`); empty for one in no recommended script.
function scriptsOf(char: string): Set<string> | null {
  if (EVERY_SCRIPT.test(char)) return null;
  const scripts = new Set<string>();
  for (const { name, pattern } of RECOMMENDED) {
    if (!pattern.test(char)) continue;
    scripts.add(name);
    for (const extra of AUGMENT[name] ?? []) scripts.add(extra);
  }
  return scripts;
}

// The scripts every character shares (UTS #39's resolved script set);
// null when every character is in every script.
function resolved(chars: string[]): Set<string> | null {
  const sets = chars.map(scriptsOf).filter((set) => set !== null);
  if (sets.length === 0) return null;
  return sets.reduce((shared, set) =>
    new Set([...shared].filter((script) => set.has(script)))
  );
}

/**
 * Whether a name (already in NFKC) meets UTS #39's "highly restrictive"
 * level: its characters share a script, or, the Latin ones set aside, share
 * the Japanese, Chinese or Korean writing system; each from a recommended
 * script; no generic combining mark, in the name or in its lower case
 * (`İ` lowers to `i` and a combining dot).
 *
 * @param name The name, in NFKC.
 * @returns `false` for look-alike material: mixed scripts, Arabic-Indic
 *   digits beside Latin letters, combining accents.
 * @example Usage
 * ```ts
 * import { restrictedName } from "./username.ts";
 *
 * restrictedName("ada_1815"); // true
 * restrictedName("\u0430da"); // false: Cyrillic а, then Latin d and a
 * restrictedName("山田taro"); // true
 * restrictedName("ada\u0663"); // false: an Arabic-Indic digit beside Latin
 * restrictedName("x\u0301"); // false: a combining accent
 * restrictedName("राम"); // true: Devanagari with its own vowel sign
 * ```
 */
export function restrictedName(name: string): boolean {
  if (GENERIC_MARK.test(name) || GENERIC_MARK.test(usernameKey(name))) {
    return false;
  }
  const chars = [...name];
  if (chars.some((char) => scriptsOf(char)?.size === 0)) return false;
  const all = resolved(chars);
  if (all === null || all.size > 0) return true;
  const latin = /\p{scx=Latin}/u;
  const rest = resolved(chars.filter((char) => !latin.test(char)));
  return rest !== null &&
    ["Jpan", "Hanb", "Kore"].some((system) => rest.has(system));
}

/**
 * Whether a name as typed holds a generic combining mark, which NFKC may
 * fold into a letter (`e` + U+0301 becomes `é`): such names are refused as
 * typed, so every name is typed as it is shown.
 *
 * @param typed The name as the client sent it.
 * @returns Whether it holds one.
 * @example Usage
 * ```ts
 * import { hasCombiningMark } from "./username.ts";
 *
 * hasCombiningMark("e\u0301"); // true
 * hasCombiningMark("\u00e9"); // false
 * ```
 */
export function hasCombiningMark(typed: string): boolean {
  return GENERIC_MARK.test(typed);
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

/**
 * Reading `KEY=VALUE` env files, as Deno's `--env-file` does.
 *
 * @module
 */

/**
 * Parses an env file: `KEY=VALUE` lines, `#` comments, optional quotes.
 *
 * @param text The file's text.
 * @returns The variables.
 * @throws {Error} Naming a line that is not `KEY=VALUE`.
 * @example Usage
 * ```ts
 * import { parseEnvFile } from "./env_file.ts";
 *
 * parseEnvFile("A=1\n# comment\nB='two'"); // { A: "1", B: "two" }
 * ```
 */
export function parseEnvFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) {
      throw new Error(`Cannot parse env file line ${i + 1}: '${line}'`);
    }
    result[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, "$2");
  }
  return result;
}

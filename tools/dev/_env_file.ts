/**
 * Reading `KEY=VALUE` env files, as Deno's `--env-file` does.
 *
 * @module
 */

/**
 * Parses an env file: `KEY=VALUE` lines, `#` comments, optional quotes.
 *
 * @throws {Error} Naming a line that is not `KEY=VALUE`.
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

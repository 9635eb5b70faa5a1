/**
 * The one command-line convention of every task: `--help` or `-h` prints the
 * usage and exits 0; an unknown option or a bad value prints one line and a
 * hint, and exits 2, never a stack trace.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";

/** What a task says about itself in `--help`. */
export interface Usage {
  /** The task's name, as in `deno task <name>`. */
  task: string;
  /** The synopsis after `deno task <name>`, e.g. `[SERVICE...] [--image]`. */
  synopsis: string;
  /** What the task does, in a sentence or two. */
  summary: string;
  /** Each option and what it does, with its default. */
  options: [flag: string, help: string][];
  /** A command line to copy. */
  example: string;
}

/**
 * The `--help` text of a task.
 *
 * @param usage The task's usage.
 * @returns The text, ending in a line break.
 * @example Usage
 * ```ts
 * import { helpText } from "./cli.ts";
 *
 * helpText({ task: "secrets", synopsis: "[--out DIR]", summary: "Makes secrets.", options: [["--out DIR", "where"]], example: "deno task secrets" })
 *   .startsWith("Usage: deno task secrets [--out DIR]"); // true
 * ```
 */
export function helpText(usage: Usage): string {
  const width = Math.max(...usage.options.map(([flag]) => flag.length), 10);
  const options = [...usage.options, ["-h, --help", "show this help"]]
    .map(([flag, help]) => `  ${flag!.padEnd(width + 2)}${help}`);
  return `Usage: deno task ${usage.task} ${usage.synopsis}

${usage.summary}

Options:
${options.join("\n")}

Example:
  ${usage.example}
`;
}

/**
 * Stops the task for a bad command line: one line saying what is wrong,
 * a hint, exit code 2.
 *
 * @param task The task's name.
 * @param message What is wrong, sentence case, no final period.
 * @returns Never: it exits.
 * @example Usage
 * ```ts
 * import { usageError } from "./cli.ts";
 *
 * if (Deno.args.length > 1) usageError("dev", "Too many arguments");
 * ```
 */
export function usageError(task: string, message: string): never {
  console.error(
    `${task}: ${message}\nRun 'deno task ${task} --help' for usage.`,
  );
  Deno.exit(2);
}

/**
 * Parses a task's arguments with `node:util`'s `parseArgs`, after answering
 * `--help`; a parse error becomes {@linkcode usageError}.
 *
 * @param usage The task's usage, printed for `--help`.
 * @param config The `parseArgs` configuration, `args` included.
 * @returns What `parseArgs` returns.
 * @example Usage
 * ```ts
 * import { parseCli, type Usage } from "./cli.ts";
 *
 * const usage: Usage = { task: "secrets", synopsis: "[--out DIR]", summary: "Makes secrets.", options: [["--out DIR", "where"]], example: "deno task secrets" };
 * const { values } = parseCli(usage, {
 *   args: ["--out", "elsewhere"],
 *   options: { out: { type: "string", default: ".secrets" } },
 * });
 * values.out; // "elsewhere"
 * ```
 */
export function parseCli<T extends ParseArgsConfig>(
  usage: Usage,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? [];
  if (args.includes("--help") || args.includes("-h")) {
    console.log(helpText(usage));
    Deno.exit(0);
  }
  try {
    return parseTaskArgs(config);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    usageError(usage.task, error.message);
  }
}

/** Arguments a task's `parseArgs` configuration refuses. */
export class UsageError extends Error {
  /** Why the arguments were refused. */
  readonly code = "usage";

  /** @param message What was wrong, in one line. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * `node:util`'s `parseArgs`, its refusal a {@linkcode UsageError} of one
 * line, for tasks that report usage errors their own way (`build.ts`).
 *
 * @param config The `parseArgs` configuration, `args` included.
 * @returns What `parseArgs` returns.
 * @throws {UsageError} On an unknown option or a missing value.
 * @example Usage
 * ```ts
 * import { parseTaskArgs } from "./cli.ts";
 *
 * try {
 *   parseTaskArgs({ args: ["--nope"], options: {} });
 * } catch (error) {
 *   (error as Error).name; // "UsageError"
 * }
 * ```
 */
export function parseTaskArgs<T extends ParseArgsConfig>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    // parseArgs throws a TypeError with an ERR_PARSE_ARGS_* code.
    if (!(error instanceof TypeError)) throw error;
    throw new UsageError(error.message.split("\n")[0]!);
  }
}

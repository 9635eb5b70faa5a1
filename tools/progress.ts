/**
 * What a long task is doing, on stderr (its results go to stdout): one
 * plain line per step, prefixed by the task, with no redrawing, so a log
 * file or a CI console reads the same as a terminal.
 *
 * @module
 */

/**
 * Prints one progress line.
 *
 * @param task The task, e.g. `build`.
 * @param line What it is doing, e.g. `[2/3] thoughts: bundling`.
 * @example Usage
 * ```ts
 * import { progress } from "./progress.ts";
 *
 * progress("build", "[1/3] users: compiling");
 * ```
 */
export function progress(task: string, line: string): void {
  console.error(`${task}: ${line}`);
}

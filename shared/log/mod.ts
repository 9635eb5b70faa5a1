/**
 * Log lines on stdout: JSON, where the cluster collects them, or compact
 * lines for a person in `deno task dev`.
 *
 * @module
 */

export {
  bufferedStdout,
  jsonLogger,
  type Logger,
  type LogLevel,
  type LogRecord,
  memoryLogger,
} from "./log.ts";
export { createLogger, prettyLogger } from "./pretty.ts";

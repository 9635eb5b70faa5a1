/**
 * JSON log lines on stdout, where the cluster collects them.
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

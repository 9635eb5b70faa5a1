/**
 * JSON log lines on stdout, where the cluster collects them. Callers pass
 * only safe fields: never a password, token or key.
 *
 * @module
 */

import { writeSync } from "node:fs";
import process from "node:process";
import { clearTimeout, setTimeout } from "node:timers";

/** The severity of a log line. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Writes one structured log record. */
export type Logger = (
  level: LogLevel,
  message: string,
  fields?: Record<string, unknown>,
) => void;

/**
 * A logger writing one JSON object per line.
 *
 * @param service The service name added to every line.
 * @param write Where lines go; `console.log` by default.
 * @param now The clock.
 * @returns The logger.
 * @example Usage
 * ```ts
 * import { jsonLogger } from "@thoughts/shared/log";
 *
 * const lines: string[] = [];
 * const log = jsonLogger("users", (line) => lines.push(line), () => new Date(0));
 * log("info", "Listening", { port: 8000 });
 * lines[0]; // '{"time":"1970-01-01T00:00:00.000Z","level":"info","service":"users","message":"Listening","port":8000}'
 * ```
 */
export function jsonLogger(
  service: string,
  write: (line: string) => void = bufferedStdout(),
  now: () => Date = () => new Date(),
): Logger {
  return (level, message, fields) =>
    write(JSON.stringify({
      time: now().toISOString(),
      level,
      service,
      message,
      ...fields,
    }));
}

/** A logged record, as kept by {@linkcode memoryLogger}. */
export interface LogRecord {
  /** The level it was logged at. */
  level: LogLevel;
  /** The message, without values. */
  message: string;
  /** The fields logged with it. */
  [field: string]: unknown;
}

/**
 * A logger that keeps records in memory, for tests.
 *
 * @returns The logger and the records it has kept.
 * @example Usage
 * ```ts
 * import { memoryLogger } from "@thoughts/shared/log";
 *
 * const { logger, records } = memoryLogger();
 * logger("warn", "Careful");
 * records[0]?.message; // "Careful"
 * ```
 */
export function memoryLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return {
    records,
    logger: (level, message, fields = {}) =>
      records.push({ ...fields, level, message }),
  };
}

// Writes all of a text to standard output, waiting out a full pipe.
function writeStdout(text: string): void {
  let bytes = new TextEncoder().encode(text);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(1, bytes));
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
    }
  }
}

/**
 * Writes lines to stdout in batches: one write per 20 ms rather than one
 * per request. Whatever is pending is written when the process exits.
 *
 * @param out Where the text goes; standard output by default, written
 *   with `node:fs`'s `writeSync` (Deno's `process.stdout.write` costs 20
 *   times as much a line).
 * @param size How many characters to gather before writing at once.
 * @returns A function taking one line.
 * @example Usage
 * ```ts
 * import { bufferedStdout } from "@thoughts/shared/log";
 *
 * const chunks: string[] = [];
 * const write = bufferedStdout({ write: (text) => chunks.push(text) });
 * write('{"message":"hi"}'); // written within 20 ms, or at exit
 * ```
 */
export function bufferedStdout(
  out: { write(text: string): unknown } = { write: writeStdout },
  size = 64 * 1024,
): (line: string) => void {
  let pending: string[] = [];
  let length = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    length = 0;
    out.write(text);
  };
  process.on("exit", flush);
  return (line) => {
    pending.push(line + "\n");
    length += line.length + 1;
    if (length >= size) return flush();
    // Pending lines must not keep a process alive; exit flushes them.
    timer ??= setTimeout(flush, 20).unref();
  };
}

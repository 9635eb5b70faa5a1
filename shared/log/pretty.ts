/**
 * Log lines for people, and the choice between them and JSON.
 *
 * @module
 */

import process from "node:process";
import { bufferedStdout, jsonLogger, type Logger } from "./log.ts";

const COLORS = { red: 31, yellow: 33, green: 32, dim: 2 } as const;

/**
 * A logger for people: one compact line per record, a request as
 * `POST /api/login 200 104ms`, other records as `WARN  Message key=value`;
 * errors in red, client errors and warnings in yellow. For `deno task dev`,
 * whose console prefixes each line with the service's name; the cluster
 * gets {@linkcode jsonLogger}.
 *
 * @param write Where lines go.
 * @param color Whether to color them; off when `NO_COLOR` is set.
 * @param now The clock.
 * @returns The logger.
 * @example Usage
 * ```ts
 * import { prettyLogger } from "@thoughts/shared/log";
 *
 * const lines: string[] = [];
 * const log = prettyLogger((line) => lines.push(line), false, () => new Date(0));
 * log("info", "Request", { method: "GET", path: "/healthz", status: 200, ms: 1.5 });
 * lines[0]; // "00:00:00 GET /healthz 200 1.5ms"
 * ```
 */
export function prettyLogger(
  write: (line: string) => void = bufferedStdout(),
  color: boolean = process.env.NO_COLOR === undefined,
  now: () => Date = () => new Date(),
): Logger {
  const paint = (code: number, text: string) =>
    color ? `\x1b[${code}m${text}\x1b[0m` : text;
  return (level, message, fields = {}) => {
    const time = paint(COLORS.dim, now().toISOString().slice(11, 19));
    if (message === "Request") {
      const status = Number(fields.status);
      const shade = status >= 500
        ? COLORS.red
        : status >= 400
        ? COLORS.yellow
        : COLORS.green;
      return write(
        `${time} ${fields.method} ${fields.path} ${
          paint(shade, String(status))
        } ${fields.ms}ms`,
      );
    }
    const { stack, ...rest } = fields;
    const pairs = Object.entries(rest).map(([key, value]) =>
      `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`
    );
    const tag = level.toUpperCase().padEnd(5);
    const shade = level === "error"
      ? COLORS.red
      : level === "warn"
      ? COLORS.yellow
      : COLORS.dim;
    write(
      [`${time} ${paint(shade, tag)} ${message}`, ...pairs].join(" ") +
        (typeof stack === "string" ? `\n${stack}` : ""),
    );
  };
}

/**
 * The service's logger in the chosen format: JSON lines for collectors (the
 * default), or {@linkcode prettyLogger}'s for a person (`LOG_FORMAT=pretty`).
 *
 * @param service The service name, in every JSON line.
 * @param format `json` or `pretty`.
 * @returns The logger.
 * @example Usage
 * ```ts
 * import { createLogger } from "@thoughts/shared/log";
 *
 * const log = createLogger("users", "json");
 * ```
 */
export function createLogger(
  service: string,
  format: "json" | "pretty",
): Logger {
  return format === "pretty" ? prettyLogger() : jsonLogger(service);
}

/**
 * Configuration from the environment: each service declares its variables,
 * and {@linkcode loadConfig} parses them once into a frozen object, failing
 * with one error that names every missing or malformed variable.
 *
 * @module
 */

/** The raw environment: names to values, as `process.env` gives. */
export type Env = Readonly<Record<string, string | undefined>>;

/** One declared variable: how to parse it and when it is required. */
export interface Variable<T> {
  /** Whether a value must be present, given the whole environment. */
  isRequired(env: Env): boolean;
  /** Whether the value is a secret, never to be echoed in an error. */
  readonly secret: boolean;
  /** Parses a present value; throws a problem description when malformed. */
  parse(raw: string): T;
  /** The value when absent and not required. */
  readonly fallback: T;
  /** A short phrase saying why the variable is required, for errors. */
  readonly requiredReason?: string;
}

/** The parsed type of a declared variable. */
export type VariableType<V> = V extends Variable<infer T> ? T : never;

/** The frozen, fully resolved configuration of a spec. */
export type Config<S extends Record<string, Variable<unknown>>> = Readonly<
  { [K in keyof S]: VariableType<S[K]> }
>;

/**
 * The error of a configuration with bad values; `problems` has one entry
 * per bad variable, each naming it.
 */
export class ConfigError extends Error {
  /** One sentence per bad variable. */
  readonly problems: readonly string[];

  /**
   * Collects every bad variable in one error.
   *
   * @param problems One sentence per bad variable.
   */
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Options shared by every variable kind. */
export interface VariableOptions<T> {
  /** The value when the variable is unset; the variable is then optional. */
  default?: T;
  /** Required only when this returns true (e.g. depends on the engine). */
  requiredWhen?: { test: (env: Env) => boolean; reason: string };
  /** Never show the value in an error. */
  secret?: boolean;
  /** Absent is fine, and stays `undefined`. */
  optional?: boolean;
}

/** Options of a variable that may stay unset. */
export type MaybeUnset<T> =
  & VariableOptions<T>
  & ({ optional: true } | {
    requiredWhen: { test: (env: Env) => boolean; reason: string };
  });

function variable<T>(
  parse: (raw: string) => T,
  options: VariableOptions<T>,
): Variable<T> {
  const when = options.requiredWhen;
  return {
    isRequired: (env) =>
      when
        ? when.test(env)
        : !options.optional && options.default === undefined,
    secret: options.secret ?? false,
    parse,
    fallback: options.default as T,
    requiredReason: when?.reason,
  };
}

/**
 * A text variable; required unless it has a default, `optional` or
 * `requiredWhen` (then it may be `undefined`).
 *
 * @param options The default, the condition that makes it required, secrecy.
 * @returns The declared variable.
 * @example Usage
 * ```ts
 * import { loadConfig, text } from "@thoughts/shared/config";
 *
 * loadConfig({ NAME: text({ default: "x" }) }, {}); // { NAME: "x" }
 * ```
 */
export function text(options: MaybeUnset<string>): Variable<string | undefined>;
/**
 * A text variable that always has a value: required, or with a default.
 *
 * @param options The default and secrecy.
 * @returns The declared variable.
 * @example Usage
 * ```ts
 * import { loadConfig, text } from "@thoughts/shared/config";
 *
 * loadConfig({ NAME: text() }, { NAME: "ada" }); // { NAME: "ada" }
 * ```
 */
export function text(options?: VariableOptions<string>): Variable<string>;
export function text(options: VariableOptions<string> = {}): Variable<string> {
  return variable((raw) => {
    if (raw.trim() === "") throw new Error("must not be empty");
    return raw;
  }, options);
}

/**
 * An integer variable within bounds.
 *
 * @param options The default, and the inclusive bounds `min` and `max`.
 * @returns The declared variable.
 * @example Usage
 * ```ts
 * import { integer, loadConfig } from "@thoughts/shared/config";
 *
 * loadConfig({ PORT: integer({ default: 8000, min: 1, max: 65535 }) }, { PORT: "80" }); // { PORT: 80 }
 * ```
 */
export function integer(
  options: VariableOptions<number> & { min?: number; max?: number } = {},
): Variable<number> {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return variable((raw) => {
    const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new Error(`must be an integer from ${min} to ${max}`);
    }
    return value;
  }, options);
}

/**
 * A variable that takes one of a fixed set of values.
 *
 * @param values The accepted values, compared exactly.
 * @param options The default.
 * @returns The declared variable.
 * @example Usage
 * ```ts
 * import { loadConfig, oneOf } from "@thoughts/shared/config";
 *
 * loadConfig({ MODE: oneOf(["a", "b"] as const, { default: "a" }) }, {}); // { MODE: "a" }
 * ```
 */
export function oneOf<const V extends string>(
  values: readonly V[],
  options: VariableOptions<V> = {},
): Variable<V> {
  return variable((raw) => {
    if (!(values as readonly string[]).includes(raw)) {
      throw new Error(
        `must be one of ${values.map((v) => `'${v}'`).join(", ")}`,
      );
    }
    return raw as V;
  }, options);
}

/**
 * An absolute `http:` or `https:` URL, returned without a trailing slash.
 *
 * @param options The default.
 * @returns The declared variable.
 * @example Usage
 * ```ts
 * import { httpUrl, loadConfig } from "@thoughts/shared/config";
 *
 * loadConfig({ U: httpUrl() }, { U: "http://users-service/" }); // { U: "http://users-service" }
 * ```
 */
export function httpUrl(
  options: VariableOptions<string> = {},
): Variable<string> {
  return variable((raw) => {
    const url = URL.canParse(raw) ? new URL(raw) : null;
    if (!url || !["http:", "https:"].includes(url.protocol)) {
      throw new Error("must be an http or https URL");
    }
    return raw.replace(/\/+$/, "");
  }, options);
}

/**
 * Parses the environment against a spec, once.
 *
 * @param spec The declared variables, by name.
 * @param env The environment, e.g. `process.env`.
 * @returns The frozen configuration with every default filled in.
 * @throws {ConfigError} Naming every missing or malformed variable.
 * @example Usage
 * ```ts
 * import { integer, loadConfig } from "@thoughts/shared/config";
 *
 * const config = loadConfig({ PORT: integer({ default: 8000 }) }, { PORT: "8001" });
 * config.PORT; // 8001
 * ```
 */
export function loadConfig<S extends Record<string, Variable<unknown>>>(
  spec: S,
  env: Env,
): Config<S> {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(spec)) {
    const raw = env[name];
    if (raw === undefined || raw === "") {
      if (v.isRequired(env)) {
        problems.push(
          `${name} is required${
            v.requiredReason ? ` ${v.requiredReason}` : ""
          }`,
        );
      }
      result[name] = v.fallback;
      continue;
    }
    try {
      result[name] = v.parse(raw);
    } catch (error) {
      const shown = v.secret ? "" : `, got '${raw}'`;
      problems.push(`${name} ${(error as Error).message}${shown}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(result) as Config<S>;
}

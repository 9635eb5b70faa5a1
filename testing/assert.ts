/**
 * Assertions in the shape of `@std/assert` (which lives on JSR, out of reach
 * here), built on `node:assert`.
 *
 * @module
 */

import assert from "node:assert/strict";

/**
 * Asserts deep, strict equality.
 *
 * @param actual The value under test.
 * @param expected The expected value.
 * @param message Shown on failure.
 * @throws {assert.AssertionError} When they differ.
 * @example Usage
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * assertEquals({ a: 1 }, { a: 1 });
 * ```
 */
export function assertEquals<T>(
  actual: unknown,
  expected: T,
  message?: string,
): asserts actual is T {
  assert.deepStrictEqual(actual, expected, message);
}

/**
 * Asserts that a value is truthy.
 *
 * @param value The value under test.
 * @param message Shown on failure.
 * @throws {assert.AssertionError} When it is falsy.
 * @example Usage
 * ```ts
 * import { assertOk } from "./assert.ts";
 *
 * assertOk(1 + 1 === 2);
 * ```
 */
export function assertOk(value: unknown, message?: string): asserts value {
  assert.ok(value, message);
}

/**
 * Asserts that a text contains a part.
 *
 * @param actual The text under test.
 * @param expected The part it must contain.
 * @param message Shown on failure.
 * @throws {assert.AssertionError} When it does not.
 * @example Usage
 * ```ts
 * import { assertStringIncludes } from "./assert.ts";
 *
 * assertStringIncludes("hello", "ell");
 * ```
 */
export function assertStringIncludes(
  actual: string,
  expected: string,
  message?: string,
): void {
  assert.ok(
    actual.includes(expected),
    message ??
      `Expected ${JSON.stringify(actual)} to include ${
        JSON.stringify(expected)
      }`,
  );
}

/** A class of errors, as `assertThrows` and `assertRejects` take it. */
export type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

function checkError<E extends Error>(
  error: unknown,
  type?: ErrorClass<E>,
  includes?: string,
): E {
  if (type && !(error instanceof type)) {
    throw new assert.AssertionError({
      message: `Expected error of type ${type.name}, got ${String(error)}`,
    });
  }
  if (includes !== undefined) {
    assertStringIncludes((error as Error).message, includes);
  }
  return error as E;
}

/**
 * Asserts that a function throws, optionally of a type and with a message part.
 *
 * @param fn The function to call.
 * @param type The expected error class.
 * @param includes A part the message must contain.
 * @returns The thrown error.
 * @throws {assert.AssertionError} When it does not throw as expected.
 * @example Usage
 * ```ts
 * import { assertThrows } from "./assert.ts";
 *
 * assertThrows(() => { throw new TypeError("bad") }, TypeError, "bad");
 * ```
 */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  type?: ErrorClass<E>,
  includes?: string,
): E {
  try {
    fn();
  } catch (error) {
    return checkError(error, type, includes);
  }
  throw new assert.AssertionError({ message: "Expected function to throw" });
}

/**
 * Asserts that a promise rejects, optionally of a type and with a message part.
 *
 * @param fn The function returning the promise.
 * @param type The expected error class.
 * @param includes A part the message must contain.
 * @returns The rejection reason.
 * @throws {assert.AssertionError} When it does not reject as expected.
 * @example Usage
 * ```ts
 * import { assertRejects } from "./assert.ts";
 *
 * await assertRejects(() => Promise.reject(new Error("no")), Error, "no");
 * ```
 */
export async function assertRejects<E extends Error = Error>(
  fn: () => Promise<unknown>,
  type?: ErrorClass<E>,
  includes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    return checkError(error, type, includes);
  }
  throw new assert.AssertionError({ message: "Expected promise to reject" });
}

/**
 * Asserts that a text matches a pattern.
 *
 * @param actual The text under test.
 * @param pattern The pattern it must match.
 * @throws {assert.AssertionError} When it does not.
 * @example Usage
 * ```ts
 * import { assertMatch } from "./assert.ts";
 *
 * assertMatch("v1.6", /^v\d/);
 * ```
 */
export function assertMatch(actual: string, pattern: RegExp): void {
  assert.match(actual, pattern);
}

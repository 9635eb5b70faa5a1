/**
 * The middle of a set of measurements.
 *
 * @module
 */

/**
 * The median; of an even count, the upper of the two middle values, so it is
 * always a value that was measured.
 *
 * @param xs The measurements, at least one.
 * @returns The median.
 * @throws {RangeError} When there are no measurements.
 * @example Usage
 * ```ts
 * import { median } from "./median.ts";
 *
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) {
    throw new RangeError("Cannot take the median of nothing");
  }
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/**
 * The middle of a set of measurements.
 *
 * @module
 */

/**
 * The median; of an even count, the upper of the two middle values, so it is
 * always a value that was measured.
 *
 * @throws {RangeError} When there are no measurements.
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) {
    throw new RangeError("Cannot take the median of nothing");
  }
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

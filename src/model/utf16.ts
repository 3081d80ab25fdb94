/**
 * UTF-16 code units: where a slice of a JavaScript string may end without cutting a surrogate
 * pair in two (written out, each half alone would become U+FFFD or a `\udXXX` escape).
 *
 * @module
 */

/** The first half of a surrogate pair. */
export function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** The second half of a surrogate pair. */
export function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * Lookup tables keyed by names read from input (protocols, services, modules, reject codes).
 *
 * A plain object literal answers `table["constructor"]` or `table["toString"]` with
 * Object.prototype's function, and `table["__proto__"]` with Object.prototype itself: a
 * ruleset naming such a protocol, port or table was read as if the name were known (the nft
 * fuzz test found a table family "toString" crashing the lowering; issue 8). A table without
 * a prototype holds only its own names, so any other name is simply unknown.
 *
 * @module
 */

/** `entries` as a frozen table without a prototype: only its own names are found. */
export function nameTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

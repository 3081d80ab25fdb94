/**
 * The exact source sets behind a service's printed lists. A list is cut at
 * {@link MAX_LISTED_PREFIXES} prefixes (a service open to the world minus a 60,000-entry
 * blocklist has about a million), so judgements (exposure classes, policy checks) read the
 * exact set kept here, beside the list, instead of re-parsing the list.
 *
 * @module
 */
import type { AddrSet, Family } from '../model/addr.js';
import type { SourceLists } from './types.js';

/** Per family, a service lists at most this many source prefixes; the rest are counted. */
export const MAX_LISTED_PREFIXES = 10_000;

const exact = new WeakMap<SourceLists, Partial<Record<Family, AddrSet>>>();

export function attachExactSources(lists: SourceLists, family: Family, set: AddrSet): void {
  let entry = exact.get(lists);
  if (!entry) exact.set(lists, (entry = {}));
  entry[family] = set;
}

/** The exact set of one family, when the lists came from this run's engine. */
export function exactSources(lists: SourceLists, family: Family): AddrSet | undefined {
  return exact.get(lists)?.[family];
}

/**
 * One array for each distinct one-range interval set a load makes: the model's rules share
 * them (sets are never edited once built, so an equal set serves every rule that has one).
 *
 * Why: a kube-proxy node of 5,000 services lowers to ~50,000 one-range sets that repeat a few
 * values (a rule's protocol re-made by its port match, `tcp dport 80` per service, a DNAT's
 * port per endpoint, the endpoint's address in its `ip saddr` and its DNAT). Each copy is two
 * small objects that the model keeps, so the young generation's scavenges copied each twice
 * (issue 8). The table keeps the first set met per low bound: a set of another high bound with
 * the same low bound is kept as given, which costs nothing but the sharing.
 *
 * @module
 */
import type { IntervalSet, Ordinal } from './interval-set.js';

export class OneRangeSets {
  readonly #byLow = new Map<number | string, readonly Ordinal[]>();
  readonly #byBigLow = new Map<string, readonly Ordinal[]>();

  /** `set`, or an equal set met before; sets of more or less than one range are given back as they are. */
  share<T extends Ordinal>(set: IntervalSet<T>): IntervalSet<T> {
    // Plain arrays only: a typed array answers the same, but is kept as the module that made it chose.
    if (set.length !== 2 || !Array.isArray(set)) return set;
    const lo = set[0]!;
    return typeof lo === 'bigint' ? shareIn(this.#byBigLow, lo.toString(36), set) : shareIn(this.#byLow, lo, set);
  }
}

/** `set`, or the set filed under `key` when it has the same high bound; the first set met under a key is filed. */
function shareIn<K, T extends Ordinal>(table: Map<K, readonly Ordinal[]>, key: K, set: readonly T[]): readonly T[] {
  const met = table.get(key);
  if (met === undefined) {
    table.set(key, set);
    return set;
  }
  return met[1] === set[1] ? (met as readonly T[]) : set;
}

/**
 * `numgen random mod N [offset K]` as a map key: the generator yields one of K..K+N-1 for
 * every packet, so when the map's keys cover all of them one branch is always taken
 * (kube-proxy's `numgen random mod 2 vmap { 0 : goto endpoint-A, 1 : goto endpoint-B }`).
 * Which one is random: each branch "may" match, but nothing falls through the statement.
 *
 * @module
 */
import * as I from '../../model/interval-set.js';
import { type Json, isObject, soleKey } from './types.js';

/** Whether a numgen key expression takes only values listed in `keys` (numbers or `{range: [lo, hi]}`). */
export function numgenCovers(key: Json, keys: readonly Json[]): boolean {
  if (!isObject(key) || soleKey(key) !== 'numgen' || !isObject(key['numgen'])) return false;
  const mod = key['numgen']['mod'];
  const offset = key['numgen']['offset'] ?? 0;
  if (typeof mod !== 'number' || typeof offset !== 'number' || mod < 1) return false;
  const pairs: [number, number][] = [];
  for (const k of keys) {
    if (typeof k === 'number') pairs.push([k, k + 1]);
    else if (isObject(k) && soleKey(k) === 'range' && Array.isArray(k['range']) && typeof k['range'][0] === 'number' && typeof k['range'][1] === 'number') {
      pairs.push([k['range'][0], k['range'][1] + 1]);
    } else return false;
  }
  return I.isSubset(I.range(offset, offset + mod), I.fromRanges(pairs));
}

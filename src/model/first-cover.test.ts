import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstCover } from './first-cover.js';
import * as I from './interval-set.js';

// Brute force over a small domain: each value belongs to the first set holding it.
const N = 40;
const arbSet = fc.array(fc.tuple(fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: N })), { maxLength: 5 }).map((pairs) => I.fromRanges(pairs.map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const)));
const members = (s: I.IntervalSet<number>) => Array.from({ length: N }, (_, x) => I.contains(s, x));

function isCanonical(s: I.IntervalSet<number>): boolean {
  for (let k = 1; k < s.length; k++) if (!(s[k - 1]! < s[k]!)) return false;
  return s.length % 2 === 0;
}

describe('firstCover agrees with brute force', () => {
  it('gives each value to the first set holding it, and the union of all', () => {
    fc.assert(
      fc.property(fc.array(arbSet, { maxLength: 8 }), (sets) => {
        const { owned, union } = firstCover(sets);
        expect(owned).toHaveLength(sets.length);
        const first = Array.from({ length: N }, (_, x) => sets.findIndex((s) => I.contains(s, x)));
        sets.forEach((_, i) => {
          expect(isCanonical(owned[i]!)).toBe(true);
          expect(members(owned[i]!)).toEqual(first.map((f) => f === i));
        });
        expect(isCanonical(union)).toBe(true);
        expect(members(union)).toEqual(first.map((f) => f >= 0));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a note what reaches it (no earlier set but a note holds it), and leaves notes out of the union', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbSet, fc.boolean()), { maxLength: 8 }), (pairs) => {
        const sets = pairs.map(([s]) => s);
        const notes = pairs.map(([, n]) => n);
        const { owned, union } = firstCover(sets, notes);
        // The first set that is not a note takes a value; a note sees it when it comes before that one.
        const taker = Array.from({ length: N }, (_, x) => sets.findIndex((s, i) => !notes[i] && I.contains(s, x)));
        sets.forEach((s, i) => {
          expect(isCanonical(owned[i]!)).toBe(true);
          const want = Array.from({ length: N }, (_, x) => I.contains(s, x) && (notes[i] ? taker[x] === -1 || i < taker[x]! : taker[x] === i));
          expect(members(owned[i]!)).toEqual(want);
        });
        expect(isCanonical(union)).toBe(true);
        expect(members(union)).toEqual(taker.map((t) => t >= 0));
      }),
      { numRuns: 2000 },
    );
  });

  it('works on bigint bounds (IPv6 sources)', () => {
    const a = I.fromRanges([[1n, 10n]] as const);
    const b = I.fromRanges([[5n, 20n], [30n, 40n]] as const);
    const { owned, union } = firstCover([a, b]);
    expect(owned).toEqual([[1n, 10n], [10n, 20n, 30n, 40n]]);
    expect(union).toEqual([1n, 20n, 30n, 40n]);
  });
});

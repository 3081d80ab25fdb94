import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as I from './interval-set.js';

// Sets of 4,096 boundaries or more are edited into Float64Arrays (issue 8: a 10,000-rule
// host's listener walks copied ~12,000-boundary sources as JS arrays, which the scavenger
// copied again). Mid-size sets must read the same through the typed paths as by brute force.
const M = 20000;
const members = (s: I.IntervalSet<number>) => Array.from({ length: M }, (_, x) => I.contains(s, x));
const isNormal = (s: I.IntervalSet<number>) => s.length % 2 === 0 && Array.from(s).every((b, k, all) => k === 0 || all[k - 1]! < b);
// Every other point: 2,500-4,500 single points, 5,000-9,000 boundaries in their complement.
const blocklist = fc.array(fc.integer({ min: 0, max: (M >> 1) - 1 }), { minLength: 2500, maxLength: 4500 }).map((pts) => I.fromPoints(pts.map((p) => 2 * p + 1)));
const few = fc.array(fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 1, max: 80 })), { minLength: 1, maxLength: 4 }).map((rs) => I.fromRanges(rs.map(([lo, w]) => [lo, Math.min(M, lo + w)] as const)));

describe('mid-size sets in typed arrays (issue 8)', () => {
  it('the Internet minus a blocklist, carved by a few ranges, is a typed array that agrees with brute force', () => {
    fc.assert(
      fc.property(blocklist, few, few, (block, cut, other) => {
        const open = I.difference(I.range(0, M), block);
        const carved = I.difference(open, cut);
        fc.pre(carved.length >= 4096 && carved.length < 16384);
        expect(I.isHugeNumbers(carved)).toBe(true);
        const inOpen = members(open);
        const inCut = members(cut);
        const inOther = members(other);
        expect(members(carved)).toEqual(inOpen.map((v, i) => v && !inCut[i]));
        for (const [got, want] of [
          [I.union(carved, other), inOpen.map((v, i) => (v && !inCut[i]) || inOther[i]!)],
          [I.intersect(carved, other), inOpen.map((v, i) => v && !inCut[i] && inOther[i]!)],
          [I.unionAll([carved, other, cut]), inOpen.map((v, i) => (v && !inCut[i]) || inOther[i]! || inCut[i]!)],
        ] as const) {
          expect(members(got)).toEqual(want);
          expect(isNormal(got)).toBe(true);
        }
      }),
      { numRuns: 25, endOnFailure: true },
    );
  });

  it('two huge sets, or a huge one and a list, swept as typed arrays agree with brute force', () => {
    fc.assert(
      fc.property(blocklist, blocklist, few, (x, y, cut) => {
        const a = I.difference(I.range(0, M), x);
        const b = I.union(I.difference(I.range(0, M), y), cut);
        const list = Array.from(I.intersect(b, I.range(0, M >> 3)));
        const inA = members(a);
        const inB = members(b);
        const inList = members(list);
        for (const [got, want] of [
          [I.union(a, b), inA.map((v, i) => v || inB[i]!)],
          [I.intersect(a, b), inA.map((v, i) => v && inB[i]!)],
          [I.difference(a, b), inA.map((v, i) => v && !inB[i])],
          [I.difference(a, list), inA.map((v, i) => v && !inList[i])],
          [I.intersect(list, a), inList.map((v, i) => v && inA[i]!)],
        ] as const) {
          expect(members(got)).toEqual(want);
          expect(isNormal(got)).toBe(true);
        }
      }),
      { numRuns: 15, endOnFailure: true },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as I from './interval-set.js';

// A walk's huge sets built from one another (issue 8): the Internet minus a blocklist, a
// listener's cuts out of that, the blocklist grown by a chain's bans. What lineage shortcuts
// answer must be what the sweeps answer, over a domain small enough to check by brute force.
const M = 6000;
const FULL = I.range(0, M);
const membersM = (s: I.IntervalSet<number>) => Array.from({ length: M }, (_, x) => I.contains(s, x));
const isNormal = (s: I.IntervalSet<number>) => s.length % 2 === 0 && Array.from(s).every((b, k, all) => k === 0 || all[k - 1]! < b);
// Every other point blocked or not: ~1,400-2,000 ranges, so that every set below is huge (>= 1,024 boundaries).
const blocklist = fc.array(fc.integer({ min: 0, max: (M >> 1) - 1 }), { minLength: 1400, maxLength: 2000 }).map((pts) => I.fromPoints(pts.map((p) => 2 * p + 1)));
const few = fc.array(fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 1, max: 60 })), { minLength: 1, maxLength: 4 }).map((rs) => I.fromRanges(rs.map(([lo, w]) => [lo, Math.min(M, lo + w)] as const)));

const or = (x: boolean[], y: boolean[]) => x.map((v, i) => v || y[i]!);
const and = (x: boolean[], y: boolean[]) => x.map((v, i) => v && y[i]!);

describe('sets built from one another (lineage, issue 8)', () => {
  it('the Internet minus a blocklist, unioned with what holds the blocklist, agrees with brute force (and is the Internet when nothing else is missing)', () => {
    fc.assert(
      fc.property(blocklist, few, few, fc.integer({ min: 0, max: 2 }), (block, cut, extra, mode) => {
        const open = I.difference(FULL, block);
        const carved = I.difference(open, cut);
        fc.pre(carved.length >= 1024);
        // What a chain drops: the blocklist and its bans (the cut's part of what was open); or
        // the blocklist with one range missing, where no shortcut may answer.
        const bans = I.intersect(open, cut);
        const firstBlocked = I.range(block[0]!, block[1]!);
        const dropped = mode === 0 ? I.union(block, bans) : mode === 1 ? I.union(I.union(block, bans), extra) : I.union(I.difference(block, firstBlocked), bans);
        const expected = or(membersM(carved), membersM(dropped));
        for (const u of [I.union(carved, dropped), I.union(dropped, carved), I.unionAll([carved, dropped]), I.unionAll([dropped, carved, I.emptySet(), carved])]) {
          expect(membersM(u)).toEqual(expected);
          expect(isNormal(u)).toBe(true);
        }
        if (mode !== 2) expect([...I.union(carved, dropped)]).toEqual([...FULL]);
        const openAgain = or(membersM(open), membersM(dropped));
        expect(membersM(I.union(open, dropped))).toEqual(openAgain);
      }),
      { numRuns: 60, endOnFailure: true },
    );
  });

  it('a set carved out of another meets it in itself, and their union head is the other (no sweep)', () => {
    fc.assert(
      fc.property(blocklist, few, few, (block, cut, cut2) => {
        const open = I.difference(FULL, block);
        const carved = I.difference(open, cut);
        const twice = I.difference(carved, cut2);
        fc.pre(twice.length >= 1024);
        for (const [outer, inner] of [[open, carved], [carved, twice], [open, twice]] as const) {
          const expected = and(membersM(outer), membersM(inner));
          for (const meet of [I.intersect(outer, inner), I.intersect(inner, outer)]) {
            expect(membersM(meet)).toEqual(expected);
            // Fewer boundaries: a true subset, and the carving itself is the answer.
            if (inner.length !== outer.length) expect(meet).toBe(inner);
          }
          const { head, rangeCount } = I.unionHead([inner, outer], 4);
          const union = I.union(inner, outer);
          expect(rangeCount).toBe(union.length / 2);
          expect([...head].slice(0, 8)).toEqual([...union].slice(0, 8));
          expect(I.isSubset(inner, outer)).toBe(true);
          const mi = membersM(inner);
          expect(I.isSubset(outer, inner)).toBe(membersM(outer).every((v, i) => !v || mi[i]!));
        }
        // A set grown from another holds it; the other way round only if nothing was added.
        const grown = I.union(twice, cut);
        expect(I.isSubset(twice, grown)).toBe(true);
        const mt = membersM(twice);
        expect(I.isSubset(grown, twice)).toBe(membersM(grown).every((v, i) => !v || mt[i]!));
        expect(membersM(I.intersect(grown, twice))).toEqual(mt);
      }),
      { numRuns: 60, endOnFailure: true },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as I from './interval-set.js';

// Brute force over a small domain: every operation must agree with plain boolean arrays.
const N = 40;
const domain: I.Domain<number> = { min: 0, max: N };
const arbSet = fc.array(fc.tuple(fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: N })), { maxLength: 6 }).map((pairs) => I.fromRanges(pairs.map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const)));
const members = (s: I.IntervalSet<number>) => Array.from({ length: N }, (_, x) => I.contains(s, x));

function isNormal(s: I.IntervalSet<number>): boolean {
  for (let k = 1; k < s.length; k++) if (!(s[k - 1]! < s[k]!)) return false;
  return s.length % 2 === 0;
}

/** union, intersect, difference and intersects of (a, b) and (b, a) agree with brute force over `member`'s domain. */
function expectBothWaysAgree(a: I.IntervalSet<number>, b: I.IntervalSet<number>, member: (s: I.IntervalSet<number>) => boolean[]): void {
  for (const [x, y] of [[a, b], [b, a]] as const) {
    const mx = member(x);
    const my = member(y);
    expect(member(I.union(x, y))).toEqual(mx.map((v, i) => v || my[i]!));
    expect(member(I.intersect(x, y))).toEqual(mx.map((v, i) => v && my[i]!));
    expect(member(I.difference(x, y))).toEqual(mx.map((v, i) => v && !my[i]!));
    expect(I.intersects(x, y)).toBe(mx.some((v, i) => v && my[i]!));
    expect(I.isSubset(x, y)).toBe(mx.every((v, i) => !v || my[i]!));
    for (const s of [I.union(x, y), I.intersect(x, y), I.difference(x, y)]) expect(isNormal(s)).toBe(true);
  }
}

describe('interval sets agree with brute force', () => {
  it('boundariesWithin counts the boundaries of a set inside each closed range of a cut', () => {
    fc.assert(
      fc.property(arbSet, arbSet, (set, cut) => {
        let expected = 0;
        for (let k = 0; k < cut.length; k += 2) expected += set.filter((b) => b >= cut[k]! && b <= cut[k + 1]!).length;
        expect(I.boundariesWithin(set, cut)).toBe(expected);
      }),
    );
  });

  it('union, intersect, difference, complement', () => {
    fc.assert(
      fc.property(arbSet, arbSet, (a, b) => {
        const ma = members(a);
        const mb = members(b);
        const u = I.union(a, b);
        const n = I.intersect(a, b);
        const d = I.difference(a, b);
        const c = I.complement(a, domain);
        expect(members(u)).toEqual(ma.map((x, i) => x || mb[i]!));
        expect(members(n)).toEqual(ma.map((x, i) => x && mb[i]!));
        expect(members(d)).toEqual(ma.map((x, i) => x && !mb[i]!));
        expect(members(c)).toEqual(ma.map((x) => !x));
        for (const s of [u, n, d, c]) expect(isNormal(s)).toBe(true);
        expect(I.intersects(a, b)).toBe(ma.some((x, i) => x && mb[i]!));
        expect(I.isSubset(a, b)).toBe(ma.every((x, i) => !x || mb[i]!));
      }),
    );
  });

  it('huge sets against small ones (the clipped and patched paths) agree too', () => {
    const big = fc.array(fc.integer({ min: 0, max: N }), { minLength: 30, maxLength: 60 }).map((pts) => I.fromPoints(pts.filter((x) => x < N)));
    const small = fc.tuple(fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: N })).map(([a, b]) => I.range(Math.min(a, b), Math.max(a, b)));
    fc.assert(
      fc.property(big, small, (a, b) => {
        expectBothWaysAgree(a, b, members);
      }),
      { numRuns: 500 },
    );
  });

  it('huge sets against a few spread ranges (cut range by range) agree too', () => {
    // A blocklist's complement against an interface's few ranges: the small set has holes all
    // over the big one's span, so one patch over its span would sweep it all.
    const M = 1000;
    const membersM = (s: I.IntervalSet<number>) => Array.from({ length: M }, (_, x) => I.contains(s, x));
    const big = fc.array(fc.integer({ min: 0, max: M - 1 }), { minLength: 300, maxLength: 600 }).map((pts) => I.fromPoints(pts));
    const few = fc.array(fc.integer({ min: 0, max: M - 1 }), { minLength: 1, maxLength: 8 }).map((pts) => I.fromRanges(pts.map((p, i) => [p, Math.min(M, p + 1 + ((i * 37) % 90))] as [number, number])));
    fc.assert(
      fc.property(big, few, (a, b) => {
        fc.pre(a.length > 8 * b.length);
        expectBothWaysAgree(a, b, membersM);
        // Nothing to cut or add: the big set itself, not a copy.
        expect(I.intersect(a, [0, M])).toBe(a);
        expect(I.difference(a, [M, M + 5])).toBe(a);
        expect(I.union(a, a.slice(0, 2))).toBe(a);
        // A cut or an addition that changes nothing (the patched path): `a` itself too.
        const gap = I.difference(I.range(a[0]!, a[a.length - 1]!), a);
        if (gap.length > 0) expect(I.difference(a, gap.slice(0, 2))).toBe(a);
        expect(I.union(a, [a[2]!, a[3]!])).toBe(a);
      }),
      { numRuns: 500 },
    );
  });

  it('sets built from one another (common head and tail copied, the middle swept) agree too', () => {
    const M = 1000;
    const membersM = (s: I.IntervalSet<number>) => Array.from({ length: M }, (_, x) => I.contains(s, x));
    const big = fc.array(fc.integer({ min: 0, max: M - 1 }), { minLength: 50, maxLength: 300 }).map((pts) => I.fromPoints(pts));
    const edit = fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 1, max: 40 }), fc.boolean());
    fc.assert(
      fc.property(big, fc.array(edit, { minLength: 1, maxLength: 3 }), (a, edits) => {
        // b: a with a few ranges added or cut out, anywhere (at either end too).
        let b = a;
        for (const [lo, w, add] of edits) b = add ? I.union(b, I.range(lo, Math.min(M, lo + w))) : I.difference(b, I.range(lo, Math.min(M, lo + w)));
        expectBothWaysAgree(a, b, membersM);
        expectBothWaysAgree(a, [...a], membersM);
        // A set against its complement with the edits (a blocklist and the sources it leaves):
        // their boundaries are shared in long runs, one list shifted by one.
        expectBothWaysAgree(a, I.complement(b, { min: 0, max: M }), membersM);
      }),
      { numRuns: 500 },
    );
  });

  it('the union of a set with a near copy inside it is the set itself, not a copy', () => {
    // A walk's sources and the same minus one rule's address, merged back at a chain's end.
    const M = 1000;
    const big = fc.array(fc.integer({ min: 0, max: M - 1 }), { minLength: 50, maxLength: 300 }).map((pts) => I.fromPoints(pts));
    fc.assert(
      fc.property(big, fc.nat(), fc.nat(), (a, at, width) => {
        fc.pre(a.length >= 8);
        const k = 2 + 2 * (at % (a.length / 2 - 2)); // a range with ranges before and after it
        const lo = a[k]! + (width % (a[k + 1]! - a[k]!));
        const b = I.difference(a, I.range(lo, lo + 1));
        expect(I.union(a, b)).toBe(a);
        expect(I.union(b, a)).toBe(a);
        expect(I.union(a, [...a])).toBe(a);
      }),
      { numRuns: 300 },
    );
  });

  it('a huge set carved by few cuts and unioned back agrees with brute force, and is its parent again without a copy', () => {
    // A walk's sources (the Internet minus a blocklist) with a listener's few sources carved
    // out, rule by rule or a stretch at once, then unioned back with some of what was carved
    // (a chain's verdict pieces, a service's sources): the shortcut must agree with the sweep.
    const M = 6000;
    const membersM = (s: I.IntervalSet<number>) => Array.from({ length: M }, (_, x) => I.contains(s, x));
    const huge = fc.array(fc.integer({ min: 0, max: (M >> 1) - 1 }), { minLength: 1400, maxLength: 2000 }).map((pts) => I.fromPoints(pts.map((p) => 2 * p)));
    const few = fc.array(fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 1, max: 60 })), { minLength: 1, maxLength: 4 }).map((rs) => I.fromRanges(rs.map(([lo, w]) => [lo, Math.min(M, lo + w)] as const)));
    fc.assert(
      fc.property(huge, fc.array(few, { minLength: 1, maxLength: 3 }), few, fc.integer({ min: 0, max: 2 }), (s, cuts, extra, mode) => {
        // Carve the cuts one after another; each step's removed part may come back.
        let carved = s;
        let removed: I.IntervalSet<number> = [];
        for (const cut of cuts) {
          removed = I.union(removed, I.intersect(carved, cut));
          carved = I.difference(carved, cut);
          // Only huge sets remember their carving (smaller ones are cheap to copy).
          fc.pre(carved.length >= 1024);
        }
        const mc = membersM(carved);
        // A carving lies inside what it was carved from, not the other way round (unless nothing was cut).
        const ms = membersM(s);
        expect(I.isSubset(carved, s)).toBe(true);
        expect(I.isSubset(s, carved)).toBe(ms.every((v, i) => !v || mc[i]!));
        // Back: all of the removed part with an unrelated set, part of it, or all but its first range.
        const firstRemoved = removed.length > 0 ? I.range(removed[0]!, removed[1]!) : [];
        const back = mode === 0 ? I.union(removed, extra) : mode === 1 ? I.difference(removed, extra) : I.union(I.difference(removed, firstRemoved), extra);
        const mb = membersM(back);
        const expected = mc.map((v, i) => v || mb[i]!);
        for (const u of [I.union(carved, back), I.union(back, carved), I.unionAll([carved, back]), I.unionAll([back, carved, I.emptySet(), carved])]) {
          expect(membersM(u)).toEqual(expected);
          expect(isNormal(u)).toBe(true);
        }
        // Everything carved away, and nothing else: the parent itself, no copy (a set
        // remembers two carvings back; after a third, only the answer is asserted).
        for (const u of [I.union(carved, removed), I.union(removed, carved), I.unionAll([carved, ...cuts.map((c) => I.intersect(removed, c))])]) {
          expect([...u]).toEqual([...s]);
          if (cuts.length <= 2) expect(u).toBe(s);
        }
      }),
      { numRuns: 100, endOnFailure: true },
    );
  });

  it('the intersection of a set with a superset is the set itself, not a copy', () => {
    fc.assert(
      fc.property(arbSet, arbSet, (a, b) => {
        if (a.length === 0) return;
        const sup = I.union(a, b);
        // Equal sets: either operand is the answer (toContain compares with ===).
        const answers = I.setsEqual(a, sup) ? [a, sup] : [a];
        expect(answers).toContain(I.intersect(a, sup));
        expect(answers).toContain(I.intersect(sup, a));
        const copy = [...a];
        expect([a, copy]).toContain(I.intersect(a, copy));
      }),
    );
  });

  it('touching ranges merge into one', () => {
    expect(I.union([0, 5], [5, 10])).toEqual([0, 10]);
    expect(I.fromRanges([[5, 10], [0, 5], [12, 13]])).toEqual([0, 10, 12, 13]);
  });

  it('works on strings (interface names) and bigints (IPv6)', () => {
    const eth = I.range('eth', 'eti');
    expect(I.contains(eth, 'eth0')).toBe(true);
    expect(I.contains(eth, 'wlan0')).toBe(false);
    expect(I.difference(eth, I.range('eth1', 'eth1\u0000'))).toEqual(['eth', 'eth1', 'eth1\u0000', 'eti']);
    expect(I.union(I.range(0n, 10n), I.range(10n, 20n))).toEqual([0n, 20n]);
  });
});

describe('unionAll (one sort-and-merge)', () => {
  it('agrees with brute force for any number of sets, touching ranges merged', () => {
    fc.assert(
      fc.property(fc.array(arbSet, { maxLength: 12 }), (sets) => {
        const u = I.unionAll(sets);
        expect(isNormal(u)).toBe(true);
        expect(members(u)).toEqual(Array.from({ length: N }, (_, x) => sets.some((s) => I.contains(s, x))));
      }),
    );
  });

  it('ranges of one width (a blocklist of single addresses, in any order) agree with brute force', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: N - 3 }), { minLength: 3, maxLength: 40 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (starts, width, sorted) => {
        const list = sorted ? [...starts].sort((a, b) => a - b) : starts;
        const sets = list.map((lo) => I.range(lo, lo + width));
        const u = I.unionAll(sets);
        expect(isNormal(u)).toBe(true);
        expect(members(u)).toEqual(Array.from({ length: N }, (_, x) => sets.some((s) => I.contains(s, x))));
      }),
    );
  });

  it('unionHead: its head starts like the union and its count is the union\'s, for a huge set plus a few ranges as for any sets', () => {
    const M = 1000;
    const big = fc.array(fc.integer({ min: 0, max: M - 1 }), { minLength: 100, maxLength: 400 }).map((pts) => I.fromPoints(pts));
    const few = fc.array(fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 1, max: 120 })), { maxLength: 5 }).map((rs) => I.fromRanges(rs.map(([lo, w]) => [lo, Math.min(M, lo + w)] as const)));
    fc.assert(
      fc.property(big, fc.array(few, { maxLength: 3 }), fc.array(arbSet, { maxLength: 2 }), fc.integer({ min: 0, max: 40 }), (b, smalls, others, max) => {
        const sets = [...smalls, b, ...others];
        const all = I.unionAll(sets);
        const { head, rangeCount } = I.unionHead(sets, max);
        expect(rangeCount).toBe(all.length / 2);
        expect(head.slice(0, 2 * max)).toEqual(all.slice(0, 2 * max));
        expect(head.length).toBeGreaterThanOrEqual(Math.min(all.length, 2 * max));
      }),
      { numRuns: 500 },
    );
  });

  it('unionHead of sets built from one another, with equal copies among them, agrees with unionAll', () => {
    // A decision's sources: a blocklist's complement in several cubes, some with one more
    // hole cut by a later rule, some equal arrays built apart.
    const M = 1000;
    const big = fc.array(fc.integer({ min: 0, max: M - 1 }), { minLength: 50, maxLength: 300 }).map((pts) => I.fromPoints(pts));
    const edit = fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 1, max: 40 }), fc.boolean());
    const variant = fc.oneof(fc.constant<[number, number, boolean][]>([]), fc.array(edit, { minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(big, fc.array(variant, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 40 }), (a, variants, max) => {
        const sets = variants.map((edits) => {
          let b: I.IntervalSet<number> = [...a];
          for (const [lo, w, add] of edits) b = add ? I.union(b, I.range(lo, Math.min(M, lo + w))) : I.difference(b, I.range(lo, Math.min(M, lo + w)));
          return b;
        });
        const all = I.unionAll(sets);
        const { head, rangeCount } = I.unionHead(sets, max);
        expect(rangeCount).toBe(all.length / 2);
        expect(head.slice(0, 2 * max)).toEqual(all.slice(0, 2 * max));
        expect(head.length).toBeGreaterThanOrEqual(Math.min(all.length, 2 * max));
        expect(isNormal(head.slice(0, 2 * max))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a few huge sets (near-copies, cubes apart) with small ones agree with brute force', () => {
    // Huge: 1,024 boundaries or more, folded pairwise; up to 8 of them, then sorted with the rest.
    const M = 6000;
    const memberOf = (s: I.IntervalSet<number>) => Array.from({ length: M }, (_, x) => I.contains(s, x));
    const big = fc.uniqueArray(fc.integer({ min: 0, max: M / 2 - 1 }), { minLength: 520, maxLength: 700 }).map((pts) => I.fromPoints(pts.map((p) => 2 * p)));
    const edit = fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 1, max: 300 }), fc.boolean());
    const small = fc.array(fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 1, max: 200 })), { maxLength: 4 }).map((rs) => I.fromRanges(rs.map(([lo, w]) => [lo, Math.min(M, lo + w)] as const)));
    fc.assert(
      fc.property(big, fc.array(fc.array(edit, { maxLength: 3 }), { minLength: 1, maxLength: 10 }), fc.array(small, { maxLength: 6 }), (a, variants, smalls) => {
        const huge = variants.map((edits) => {
          let b: I.IntervalSet<number> = a;
          for (const [lo, w, add] of edits) b = add ? I.union(b, I.range(lo, Math.min(M, lo + w))) : I.difference(b, I.range(lo, Math.min(M, lo + w)));
          return b;
        });
        const sets = [...smalls.slice(0, 3), ...huge, ...smalls.slice(3)];
        const u = I.unionAll(sets);
        expect(isNormal(u)).toBe(true);
        const ms = sets.map(memberOf);
        expect(memberOf(u)).toEqual(Array.from({ length: M }, (_, x) => ms.some((m) => m[x]!)));
      }),
      // Shrinking thousand-range sets takes minutes: the first counterexample is reported as it is.
      { numRuns: 200, endOnFailure: true },
    );
  });

  it('on bigints (IPv6 addresses) as on numbers', () => {
    const sets = [[1n, 3n], [3n, 5n], [10n, 12n], [0n, 1n], [11n, 20n]] as I.IntervalSet<bigint>[];
    expect(I.unionAll(sets)).toEqual([0n, 5n, 10n, 20n]);
  });
});

describe('bulk building and subset tests', () => {
  const arbPairs = fc.array(fc.tuple(fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: N })), { minLength: 17, maxLength: 60 });

  it('fromRanges of many ranges (the sorted-sweep path) agrees with brute force', () => {
    fc.assert(
      fc.property(arbPairs, (pairs) => {
        const s = I.fromRanges(pairs.map(([a, b]) => [a, b] as const));
        expect(isNormal(s)).toBe(true);
        expect(members(s)).toEqual(Array.from({ length: N }, (_, x) => pairs.some(([a, b]) => a <= x && x < b)));
      }),
    );
  });

  it('fromBounds (parallel start and end lists, empty ranges allowed) equals fromRanges', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: N })), { maxLength: 60 }), (pairs) => {
        const s = I.fromBounds(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
        expect(s).toEqual(I.fromRanges(pairs.map(([a, b]) => [a, b] as const)));
        expect(I.fromBounds(pairs.map((p) => BigInt(p[0])), pairs.map((p) => BigInt(p[1])))).toEqual(s.map(BigInt));
      }),
    );
    expect(() => I.fromBounds([1], [])).toThrow(RangeError);
  });

  it('fromBounds of ranges in order, or all of one width (the no-sort and one-sort paths), equals fromRanges', () => {
    const starts = fc.array(fc.integer({ min: 0, max: N - 1 }), { minLength: 17, maxLength: 60 });
    fc.assert(
      fc.property(starts, fc.integer({ min: 1, max: 5 }), fc.boolean(), (los, width, inOrder) => {
        const sortedLos = inOrder ? [...los].sort((a, b) => a - b) : los;
        const his = sortedLos.map((lo, k) => (inOrder ? lo + 1 + ((k * 7) % 4) : lo + width));
        expect(I.fromBounds(sortedLos, his)).toEqual(I.fromRanges(sortedLos.map((lo, k) => [lo, his[k]!] as const)));
      }),
    );
  });

  it('fromBounds of one-width ranges equals fromRanges whether or not every start fits 32 bits, from typed arrays too', () => {
    const start = fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 3, -5, 0.5));
    fc.assert(
      fc.property(fc.array(start, { minLength: 17, maxLength: 60 }), fc.integer({ min: 1, max: 2 ** 20 }), (los, width) => {
        const his = los.map((lo) => lo + width);
        const want = I.fromRanges(los.map((lo, k) => [lo, his[k]!] as const));
        expect(I.fromBounds(los, his)).toEqual(want);
        expect(I.fromBounds(Float64Array.from(los), Float64Array.from(his))).toEqual(want);
      }),
    );
  });

  it('fromBounds of one-width bigint ranges (an IPv6 hash:ip set) equals fromRanges', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 1n << 20n }), { minLength: 17, maxLength: 60 }), fc.bigInt({ min: 1n, max: 5n }), fc.boolean(), (los, width, mixed) => {
        const his = los.map((lo, k) => lo + (mixed && k === 3 ? width + 1n : width));
        expect(I.fromBounds(los, his)).toEqual(I.fromRanges(los.map((lo, k) => [lo, his[k]!] as const)));
      }),
    );
  });

  it('isSubset of sets built from one another (only the part between common head and tail searched) agrees with brute force', () => {
    const M = 1000;
    const membersM = (s: I.IntervalSet<number>) => Array.from({ length: M }, (_, x) => I.contains(s, x));
    const big = fc.array(fc.integer({ min: 0, max: M - 1 }), { minLength: 20, maxLength: 300 }).map((pts) => I.fromPoints(pts));
    const edit = fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 1, max: 40 }), fc.boolean());
    fc.assert(
      fc.property(big, fc.array(edit, { maxLength: 3 }), (a, edits) => {
        let b: I.IntervalSet<number> = [...a];
        for (const [lo, w, add] of edits) b = add ? I.union(b, I.range(lo, Math.min(M, lo + w))) : I.difference(b, I.range(lo, Math.min(M, lo + w)));
        const ma = membersM(a);
        const mb = membersM(b);
        expect(I.isSubset(a, b)).toBe(ma.every((m, x) => !m || mb[x]));
        expect(I.isSubset(b, a)).toBe(mb.every((m, x) => !m || ma[x]));
      }),
      { numRuns: 500 },
    );
  });

  it('isSubset agrees with brute force', () => {
    fc.assert(
      fc.property(arbSet, arbSet, (a, b) => {
        const ma = members(a);
        const mb = members(b);
        expect(I.isSubset(a, b)).toBe(ma.every((m, x) => !m || mb[x]));
      }),
    );
  });
});

describe('huge sets of numbers held in typed arrays (issue 8)', () => {
  // A plain list of boundaries and the same in a Float64Array: the typed paths (binary
  // searches, shared heads and tails, native splices and joins) must give the plain paths' sets.
  const M = 3000;
  const membersM = (s: I.IntervalSet<number>) => Array.from({ length: M }, (_, x) => I.contains(s, x));
  const typed = (s: I.IntervalSet<number>): I.IntervalSet<number> => Float64Array.from(s);
  const big = fc.array(fc.integer({ min: 0, max: M - 1 }), { minLength: 100, maxLength: 600 }).map((pts) => I.fromPoints(pts));
  const few = fc.array(fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 1, max: 400 })), { minLength: 1, maxLength: 5 }).map((rs) => I.fromRanges(rs.map(([lo, w]) => [lo, Math.min(M, lo + w)] as const)));
  const edit = fc.tuple(fc.integer({ min: 0, max: M - 1 }), fc.integer({ min: 1, max: 40 }), fc.boolean());

  /** Every binary operation on (x, y) with either or both typed gives the plain operation's set. */
  function expectTypedAgree(x: I.IntervalSet<number>, y: I.IntervalSet<number>): void {
    for (const [a, b] of [[typed(x), y], [x, typed(y)], [typed(x), typed(y)]] as const) {
      for (const op of [I.union, I.intersect, I.difference] as const) {
        const got = op(a, b);
        expect([...got]).toEqual([...op(x, y)]);
        expect(isNormal(got)).toBe(true);
      }
      expect(I.intersects(a, b)).toBe(I.intersects(x, y));
      expect(I.isSubset(a, b)).toBe(I.isSubset(x, y));
      expect(I.setsEqual(a, b)).toBe(I.setsEqual(x, y));
      expect(I.boundariesWithin(a, b)).toBe(I.boundariesWithin(x, y));
      expect([...I.unionAll([a, b, I.range(5, 9)])]).toEqual([...I.unionAll([x, y, I.range(5, 9)])]);
      const head = I.unionHead([a, b], 4);
      const plainHead = I.unionHead([x, y], 4);
      expect([...head.head].slice(0, 8)).toEqual([...plainHead.head].slice(0, 8));
      expect(head.rangeCount).toBe(plainHead.rangeCount);
    }
  }

  it('a huge set against few ranges, against a near copy of itself and against its complement agrees with plain arrays', () => {
    fc.assert(
      fc.property(big, few, fc.array(edit, { minLength: 1, maxLength: 3 }), (a, cut, edits) => {
        let b = a;
        for (const [lo, w, add] of edits) b = add ? I.union(b, I.range(lo, Math.min(M, lo + w))) : I.difference(b, I.range(lo, Math.min(M, lo + w)));
        expectTypedAgree(a, cut);
        expectTypedAgree(a, b);
        expectTypedAgree(a, I.complement(b, { min: 0, max: M }));
        expect(membersM(I.difference(typed(a), cut))).toEqual(membersM(a).map((v, i) => v && !I.contains(cut, i)));
      }),
      { numRuns: 200 },
    );
  });

  it('a set of numbers built with 16,384 boundaries or more is a typed array, and its edits agree with brute force', () => {
    const N = 40_000;
    const points = Array.from({ length: 9_000 }, (_, k) => (k * 4 + (k % 3)) % N);
    const blocklist = I.fromPoints(points);
    const sources = I.complement(blocklist, { min: 0, max: N });
    expect(sources.length).toBeGreaterThanOrEqual(16_384);
    expect(I.isHugeNumbers(sources)).toBe(true);
    const member = (s: I.IntervalSet<number>) => Array.from({ length: N }, (_, x) => I.contains(s, x));
    const inSources = member(sources);
    const blocked = new Set(points);
    expect(inSources).toEqual(Array.from({ length: N }, (_, x) => !blocked.has(x)));
    // A listener's cuts (one address, a prefix-like block, a wide range) and what they leave.
    for (const cut of [I.range(10_001, 10_002), I.range(2_048, 2_304), I.fromRanges([[100, 140], [20_000, 31_000]] as const)]) {
      const left = I.difference(sources, cut);
      // An edit of a typed array stays one, whatever its size.
      expect(I.isHugeNumbers(left)).toBe(true);
      expect(isNormal(left)).toBe(true);
      expect(member(left)).toEqual(inSources.map((v, x) => v && !I.contains(cut, x)));
      const taken = I.intersect(sources, cut);
      expect(member(taken)).toEqual(inSources.map((v, x) => v && I.contains(cut, x)));
      expect(member(I.union(left, taken))).toEqual(inSources);
    }
  });
});

describe('valueCount', () => {
  it('counts the values of a set of numbers, and stops once past a limit', () => {
    const ports = I.fromRanges([[22, 23], [8000, 8100]] as const);
    expect(I.valueCount(ports)).toBe(101);
    expect(I.valueCount(I.emptySet<number>())).toBe(0);
    // Past the limit after the second range: some number above it, the last range not read.
    const three = I.fromRanges([[0, 50], [100, 150], [200, 250]] as const);
    expect(I.valueCount(three, 60)).toBe(100);
    expect(I.valueCount(three, 150)).toBe(150);
  });
});

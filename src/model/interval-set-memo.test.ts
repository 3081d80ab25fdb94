import { describe, expect, it } from 'vitest';
import * as I from './interval-set.js';

// Every listener's slice unions the same two huge sets (issue 8): the answer is remembered by
// the operands' identity when it costs nothing to keep, and is the sweep's answer.
describe('unions of huge sets remembered by operand identity (issue 8)', () => {
  // Every odd point of [0, 6000) blocked: 3,000 ranges, and the Internet minus it.
  const blocked = I.fromPoints(Array.from({ length: 3000 }, (_, k) => 2 * k + 1));
  const open = I.difference(I.range(0, 6000), blocked);

  it('a small answer (the whole domain) is the same array for the same operands, and right', () => {
    const first = I.union(blocked, open);
    expect([...first]).toEqual([0, 6000]);
    expect(I.union(blocked, open)).toBe(first);
  });

  it('equal contents in other arrays are combined afresh, to the same answer', () => {
    const first = I.union(blocked, open);
    const again = I.union(Float64Array.from(blocked as ArrayLike<number>) as unknown as I.IntervalSet<number>, open);
    expect(again).not.toBe(first);
    expect([...again]).toEqual([...first]);
  });

  it('a huge new answer is not kept: each union builds its own', () => {
    const evens = I.fromPoints(Array.from({ length: 2000 }, (_, k) => 2 * k));
    const more = I.fromPoints(Array.from({ length: 2000 }, (_, k) => 4 * k + 1));
    const first = I.union(evens, more);
    expect(first.length).toBeGreaterThan(64);
    expect(I.union(evens, more)).not.toBe(first);
    expect([...I.union(evens, more)]).toEqual([...first]);
  });
});

describe('the complement of a blocklist remembered by its identity and the small side\'s bounds (issue 8)', () => {
  const blocked = I.fromPoints(Array.from({ length: 3000 }, (_, k) => 2 * k + 1));
  const blocked6 = I.fromRanges(Array.from({ length: 3000 }, (_, k): [bigint, bigint] => [BigInt(4 * k + 1) << 80n, BigInt(4 * k + 2) << 80n]));

  // The oracle: the same blocklist in another array, so nothing remembered of the first applies.
  const fresh = () => I.fromPoints(Array.from({ length: 3000 }, (_, k) => 2 * k + 1));

  it('the same difference is the same array, whoever holds the small side, and right', () => {
    const first = I.difference(I.range(0, 6001), blocked);
    expect(I.difference([0, 6001], blocked)).toBe(first);
    expect([...first]).toEqual(Array.from({ length: 6002 }, (_, k) => k));
  });

  it('another small side, or another blocklist of the same content, is computed afresh', () => {
    const first = I.difference(I.range(0, 6001), blocked);
    const narrower = I.difference(I.range(10, 5001), blocked);
    expect(narrower).not.toBe(first);
    expect([...narrower]).toEqual([...I.difference(I.range(10, 5001), fresh())]);
    const again = I.difference(I.range(0, 6001), fresh());
    expect(again).not.toBe(first);
    expect([...again]).toEqual([...first]);
  });

  it('IPv6 blocklists (arrays of BigInts) are remembered alike', () => {
    const all = I.range(0n, 1n << 128n);
    const first = I.difference(all, blocked6);
    expect(I.difference(I.range(0n, 1n << 128n), blocked6)).toBe(first);
    expect(first.length).toBe(2 * 3001);
    expect(I.union(first, blocked6)).toEqual([0n, 1n << 128n]);
  });
});


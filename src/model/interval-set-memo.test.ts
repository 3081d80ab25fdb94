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

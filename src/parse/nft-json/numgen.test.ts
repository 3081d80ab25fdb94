import { describe, expect, it } from 'vitest';
import { numgenCovers } from './numgen.js';

const numgen = (mod: number, offset?: number) => ({ numgen: { mode: 'random', mod, ...(offset !== undefined ? { offset } : {}) } });

describe('numgenCovers', () => {
  it('kube-proxy: mod N with keys 0..N-1 covers every value', () => {
    expect(numgenCovers(numgen(2), [0, 1])).toBe(true);
    expect(numgenCovers(numgen(1), [0])).toBe(true);
    expect(numgenCovers(numgen(100), [{ range: [0, 49] }, { range: [50, 99] }])).toBe(true);
    expect(numgenCovers(numgen(3, 10), [10, 11, 12])).toBe(true);
  });

  it('a value without a branch falls through: not covered', () => {
    expect(numgenCovers(numgen(3), [0, 1])).toBe(false);
    expect(numgenCovers(numgen(100), [{ range: [0, 49] }])).toBe(false);
    expect(numgenCovers(numgen(3, 10), [0, 1, 2])).toBe(false);
  });

  it('other keys are not numgen', () => {
    expect(numgenCovers({ jhash: { mod: 2 } }, [0, 1])).toBe(false);
    expect(numgenCovers({ meta: { key: 'mark' } }, [0, 1])).toBe(false);
  });
});

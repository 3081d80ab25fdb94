import { describe, expect, it } from 'vitest';
import { mergeSorted } from './sorted-lists.js';

describe('mergeSorted', () => {
  it('merges two ascending lists, each value once', () => {
    expect(mergeSorted([1, 4, 9], [2, 4, 10, 11])).toEqual([1, 2, 4, 9, 10, 11]);
    expect(mergeSorted([5], [1, 2, 3])).toEqual([1, 2, 3, 5]);
  });

  it('gives the other list itself when one side is empty', () => {
    const list = [3, 7];
    expect(mergeSorted([], list)).toBe(list);
    expect(mergeSorted(list, [])).toBe(list);
  });
});

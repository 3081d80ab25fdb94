import { describe, expect, it } from 'vitest';
import * as I from './interval-set.js';
import { OneRangeSets } from './one-range-sets.js';

// A load's model shares one array per one-range value (issue 8): sets are never edited, so an
// equal set serves every rule; anything else is given back as it came.
describe('OneRangeSets', () => {
  it('gives the first array met for every later set of one range with the same bounds', () => {
    const table = new OneRangeSets();
    const first = [80, 81];
    expect(table.share(first)).toBe(first);
    expect(table.share([80, 81])).toBe(first);
    expect(table.share(I.fromPoints([80]))).toBe(first);
  });

  it('keeps a set of the same low bound but another high bound as given, and does not forget the first', () => {
    const table = new OneRangeSets();
    const host = [10, 11];
    const block = [10, 266];
    table.share(host);
    expect(table.share(block)).toBe(block);
    expect(table.share([10, 11])).toBe(host);
  });

  it('gives back empty sets, sets of several ranges and typed arrays as they are', () => {
    const table = new OneRangeSets();
    const empty: number[] = [];
    const two = [1, 2, 5, 6];
    const typed = Float64Array.from([1, 2]) as unknown as I.IntervalSet<number>;
    expect(table.share(empty)).toBe(empty);
    expect(table.share(two)).toBe(two);
    expect(table.share(typed)).toBe(typed);
    expect(table.share([1, 2])).not.toBe(typed);
  });

  it('tells numbers, big integers and strings of the same look apart', () => {
    const table = new OneRangeSets();
    const num = [1, 2];
    const big = [1n, 2n];
    const str = ['1', '2'];
    expect(table.share(num)).toBe(num);
    expect(table.share(big)).toBe(big);
    expect(table.share(str)).toBe(str);
    expect(table.share([1n, 2n])).toBe(big);
    expect(table.share(['1', '2'])).toBe(str);
  });

  it('shares IPv6 prefixes that differ only above their low 64 bits by their whole value', () => {
    // 2001:db8:N::/48 for N = 0..999: every bound ends in 64 zero bits (V8 hashes a BigInt key by those alone).
    const table = new OneRangeSets();
    const prefix = (n: number): bigint[] => {
      const lo = (0x20010db8n << 96n) | (BigInt(n) << 80n);
      return [lo, lo + (1n << 80n)];
    };
    const first = Array.from({ length: 1000 }, (_, n) => prefix(n));
    first.forEach((set) => expect(table.share(set)).toBe(set));
    first.forEach((set, n) => expect(table.share(prefix(n))).toBe(set));
  });
});

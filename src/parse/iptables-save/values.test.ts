import { describe, expect, it } from 'vitest';
import { ValueReader } from './values.js';

describe('ValueReader.addresses', () => {
  it('reads a text past the memo bound as it read it before (a 10,000-network blocklist)', () => {
    const values = new ValueReader('ipv4');
    const text = (k: number) => `10.${k >> 8}.${k & 255}.0/24`;
    const first = Array.from({ length: 10_000 }, (_, k) => values.addresses(text(k)));
    for (let k = 0; k < 10_000; k++) {
      const base = (10 * 2 ** 24) + k * 256;
      expect(first[k]).toEqual([base, base + 256]);
      expect(values.addresses(text(k))).toEqual(first[k]);
    }
    // A repeated text among the first ones keeps its one shared array.
    expect(values.addresses(text(1))).toBe(first[1]);
  });

  it('unions a comma list and rejects a malformed part, past the bound too', () => {
    const values = new ValueReader('ipv4');
    for (let k = 0; k < 5000; k++) values.addresses(`192.0.${k % 256}.${k >> 8}/32`);
    for (let k = 0; k < 5000; k++) values.addresses(`172.16.${k >> 8}.${k & 255}/31`);
    expect(values.addresses('192.0.2.0/25,192.0.2.128/25')).toEqual([3221225984, 3221226240]);
    expect(values.addresses('192.0.2.0/25,bogus')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { Ipv4Index } from './ipv4-index.js';

describe('Ipv4Index', () => {
  it('keeps every address it was given through growth, including 0 and 2^32-1', () => {
    const index = new Ipv4Index();
    const addresses = [0, 0xffffffff, 0xcb007109];
    // Addresses that differ only in high bits, and a run of neighbours: both collide in weak hashes.
    for (let i = 0; i < 20_000; i++) addresses.push(((i * 0x01000000) ^ (0xc6120000 + i)) >>> 0);
    const unique = [...new Set(addresses)];
    unique.forEach((a, i) => {
      expect(index.get(a)).toBe(-1);
      index.add(a, i);
    });
    expect(index.size).toBe(unique.length);
    unique.forEach((a, i) => expect(index.get(a)).toBe(i));
    expect(index.get(0xc0000201)).toBe(-1);
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalIpv4 } from './fields.js';

const read = (text: string): number => canonicalIpv4(Buffer.from(text, 'latin1'), 0, text.length);

describe('canonicalIpv4', () => {
  it('reads a dotted quad as the unsigned 32-bit number', () => {
    expect(read('203.0.113.9')).toBe(0xcb007109);
    expect(read('255.255.255.255')).toBe(0xffffffff);
    expect(read('0.0.0.0')).toBe(0);
  });

  it('refuses what %pI4 never prints, so such a source keeps its own text as key', () => {
    for (const text of ['203.0.113.09', '256.1.1.1', '1.2.3', '1.2.3.4.5', '1..2.3', '1.2.3.', '.1.2.3', 'a.b.c.d', '1.2.3.1000']) expect(read(text), text).toBe(-1);
  });
});

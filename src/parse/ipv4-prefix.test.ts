import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAddrSet } from '../model/addr.js';
import { readIpv4Prefix } from './ipv4-prefix.js';

const out = new Float64Array(2);
const read = (text: string, fixed: number | null = null) => (readIpv4Prefix(text, fixed, out) ? [out[0], out[1]] : null);

describe('readIpv4Prefix', () => {
  it('reads addresses and prefixes, clearing host bits', () => {
    expect(read('192.0.2.7')).toEqual([0xc0000207, 0xc0000208]);
    expect(read('192.0.2.7/24')).toEqual([0xc0000200, 0xc0000300]);
    expect(read('255.255.255.255/0')).toEqual([0, 2 ** 32]);
    expect(read('192.0.2.7', 24)).toEqual([0xc0000200, 0xc0000300]);
  });

  it('leaves every other spelling to the general parser', () => {
    for (const text of ['192.0.2.07', '192.0.2.7/024', '192.0.2.7/33', '192.0.2.256', '192.0.2', '192.0.2.7/', '1.2.3.4/255.0.0.0', '1.2.3.4-1.2.3.5', '::1', '']) {
      expect(read(text), text).toBeNull();
    }
    expect(read('192.0.2.7/24', 24)).toBeNull(); // a fixed length wants a bare address
    expect(read('192.0.2.7', 33)).toBeNull();
    expect(read('192.0.2.7', 2.5)).toBeNull();
  });

  it('never reads text differently from parseAddrSet', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '007', '', 'x'));
    const text = fc.tuple(octet, octet, octet, octet, fc.option(fc.oneof(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom('024', '', '255.0.0.0')))).map(([a, b, c, d, len]) => `${a}.${b}.${c}.${d}${len === null ? '' : `/${len}`}`);
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (t) => {
        const fast = read(t);
        if (fast !== null) expect(parseAddrSet(t, 'ipv4')).toEqual(fast);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every canonical address and prefix (the fast path is taken)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (v, len) => {
        const t = `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}/${len}`;
        expect(read(t)).toEqual(parseAddrSet(t, 'ipv4'));
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import ipaddr from 'ipaddr.js';
import { addrCount, cidrsToSet, parseAddr, parseAddrSet, parseCidr, quickIpv4Set, toCidrs, toCidrsLimited } from './addr.js';
import * as I from './interval-set.js';

describe('addresses', () => {
  it('parses prefixes, masks and ranges, clearing host bits', () => {
    expect(parseCidr('192.0.2.77/24')).toEqual({ family: 'ipv4', base: 0xc0000200, prefixLength: 24 });
    expect(parseCidr('192.0.2.0/255.255.255.0')?.prefixLength).toBe(24);
    expect(parseCidr('2001:db8::1/32')).toEqual({ family: 'ipv6', base: 0x20010db8n << 96n, prefixLength: 32 });
    expect(parseCidr('192.0.2.0/33')).toBeNull();
    expect(parseCidr('1.2.3')).toBeNull();
    expect(toCidrs(parseAddrSet('192.0.2.10-192.0.2.20', 'ipv4')!, 'ipv4')).toEqual(['192.0.2.10/31', '192.0.2.12/30', '192.0.2.16/30', '192.0.2.20/32']);
  });

  it('minimal CIDR lists cover exactly the set', () => {
    expect(toCidrs(cidrsToSet(['0.0.0.0/0'], 'ipv4'), 'ipv4')).toEqual(['0.0.0.0/0']);
    expect(toCidrs(cidrsToSet(['::/0'], 'ipv6'), 'ipv6')).toEqual(['::/0']);
    const everythingBut = I.difference(cidrsToSet(['0.0.0.0/0'], 'ipv4') as I.IntervalSet<number>, cidrsToSet(['192.0.2.1/32'], 'ipv4') as I.IntervalSet<number>);
    expect(toCidrs(everythingBut, 'ipv4')).toHaveLength(32);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (a, b) => {
        const lo = Math.min(a, b);
        const hi = Math.max(a, b) + 1;
        const set = I.range(lo, hi);
        const cidrs = toCidrs(set, 'ipv4');
        expect(cidrsToSet(cidrs, 'ipv4')).toEqual(set);
        expect(cidrs.length).toBeLessThanOrEqual(62); // at most 2 × (32 − 1) blocks for one range
        expect(addrCount(set)).toBe(BigInt(hi - lo));
      }),
    );
  });
});

describe('toCidrsLimited', () => {
  it('lists the same prefixes and omitted ranges from a set or from its head and range count', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 16 }), { maxLength: 40 }), fc.integer({ min: 0, max: 12 }), (points, max) => {
        const set = I.fromRanges(points.map((p, k) => [p * 4096 + (k % 3), p * 4096 + 64 + k] as const));
        const whole = toCidrsLimited(set, 'ipv4', max);
        expect(toCidrsLimited(set.slice(0, 2 * max), 'ipv4', max, set.length / 2)).toEqual(whole);
        expect(whole.cidrs.length).toBeLessThanOrEqual(max);
        expect(whole.cidrs.length === max || whole.omittedRanges === 0).toBe(true);
      }),
    );
  });
});

describe('IPv4 prefixes in numbers', () => {
  // The BigInt greedy split both lists used for every family before IPv4 got its number path.
  function reference(set: I.IntervalSet<number>, max: number): { cidrs: string[]; omittedRanges: number } {
    const cidrs: string[] = [];
    let k = 0;
    for (; k < set.length && cidrs.length < max; k += 2) {
      let lo = BigInt(set[k]!);
      const hi = BigInt(set[k + 1]!);
      while (lo < hi && cidrs.length < max) {
        let size = lo === 0n ? 1n << 32n : lo & -lo;
        while (lo + size > hi) size >>= 1n;
        const v = Number(lo);
        cidrs.push(`${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}/${32 - (size.toString(2).length - 1)}`);
        lo += size;
      }
      if (lo < hi) break;
    }
    return { cidrs, omittedRanges: set.length / 2 - k / 2 };
  }

  it('gives the BigInt split, limited or not, up to both ends of the address space', () => {
    const bound = fc.oneof(fc.integer({ min: 0, max: 2 ** 32 }), fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 0xc0000000));
    fc.assert(
      fc.property(fc.array(fc.tuple(bound, bound), { maxLength: 8 }), fc.integer({ min: 0, max: 70 }), (pairs, max) => {
        const set = I.fromRanges(pairs.filter(([a, b]) => a !== b).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const));
        expect(toCidrsLimited(set, 'ipv4', max)).toEqual(reference(set, max));
        expect(toCidrs(set, 'ipv4')).toEqual(reference(set, Infinity).cidrs);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('quickIpv4Set', () => {
  it('reads what parseAddrSet reads, the same way, and leaves every other text to it', () => {
    const texts = [
      '1.2.3.4', '1.2.3.4/32', '10.1.2.3/8', '0.0.0.0/0', '255.255.255.255', '255.255.255.255/31', '192.0.2.0/24',
      '192.0.2.1/032', '192.0.2.1/33', '192.0.2.1/', '192.0.2.1/1234', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5',
      '1.2.3.4/255.255.0.0', '1.2.0.4/255.255.0.255', '1.2.3.4-1.2.3.9', '::1', '::ffff:1.2.3.4', '1.2.3.4 ', 'a.b.c.d', '', '1..2.3',
    ];
    let state = 7;
    for (let k = 0; k < 2000; k++) {
      state = (state * 1103515245 + 12345) >>> 0;
      texts.push(`${state >>> 24}.${(state >>> 16) & 255}.${(state >>> 8) & 255}.${state & 255}/${state % 33}`);
    }
    let quick = 0;
    for (const text of texts) {
      const q = quickIpv4Set(text);
      if (q === undefined) continue;
      quick++;
      expect(q, text).toEqual(parseAddrSet(text, 'ipv4'));
    }
    expect(quick).toBe(2000 + 8);
    for (const text of ['01.2.3.4', '192.0.2.1/33', '1.2.3.4/255.255.0.0', '1.2.3.4-1.2.3.9', '::1', '1.2.3']) expect(quickIpv4Set(text), text).toBeUndefined();
  });
});

describe('parseAddr', () => {
  /** What parseAddr answered when it asked ipaddr.js isValid, then parse, then toByteArray (before issue 8's one-parse reading). */
  function reference(text: string): { family: string; value: number | bigint } | null {
    const cleaned = text.includes('%') ? text.slice(0, text.indexOf('%')) : text;
    if (!ipaddr.isValid(cleaned)) return null;
    if (!cleaned.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(cleaned)) return null;
    const parsed = ipaddr.parse(cleaned);
    const bytes = parsed.toByteArray();
    if (parsed.kind() === 'ipv4') return { family: 'ipv4', value: ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]! };
    let v = 0n;
    for (const b of bytes) v = (v << 8n) | BigInt(b);
    return { family: 'ipv6', value: v };
  }

  it('answers as isValid-then-parse did, for addresses, near misses and garbage', () => {
    const group = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)), fc.constantFrom('0', '00000', 'g', '', 'FFFF', '0db8'));
    const v6 = fc.array(group, { minLength: 1, maxLength: 9 }).chain((gs) =>
      fc.tuple(fc.constant(gs), fc.nat(gs.length), fc.boolean(), fc.constantFrom('', '%eth0', '%', '.1.2.3.4')).map(([g, at, gap, tail]) => {
        const parts = [...g];
        if (gap) parts.splice(at, 0, '');
        return parts.join(':') + tail;
      }));
    const v4 = fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((o) => o.join('.'));
    const text = fc.oneof(v6, v4, fc.ipV6(), fc.ipV4(), fc.ipV4Extended(), fc.string({ maxLength: 12 }), fc.constantFrom('::', '::ffff:192.0.2.1', 'fe80::1%eth0', '1::2::3', '2001:db8::/32', ':1', '1:'));
    fc.assert(fc.property(text, (t) => {
      expect(parseAddr(t), t).toEqual(reference(t));
    }), { numRuns: 3000 });
  });
});

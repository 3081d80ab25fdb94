/**
 * Issue 9, items 13-14: valid but unusual kernel output. Non-contiguous masks as
 * iptables-save prints them are matched exactly (or, past 2^16 combinations, read as "may
 * match" with the construct named), never a refused audit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addrCount, cidrsToSet, maskedAddrSet, parseAddr } from '../../src/model/addr.js';
import * as I from '../../src/model/interval-set.js';
import { auditOf, iptablesDump, snapshotWithRules, sock } from './hostile-helpers.js';

const v4 = (text: string) => parseAddr(text)!;

describe('non-contiguous masks', () => {
  it('matches exactly the addresses the kernel matches, bit by bit (brute force over random masks)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 50 }), (addr, maskSeed, probes) => {
        // Masks with at most 16 free bits, so enumeration applies.
        const mask = (0xffff0000 | (maskSeed & 0xffff)) >>> 0;
        const { set, exact } = maskedAddrSet({ family: 'ipv4', value: addr }, { family: 'ipv4', value: mask });
        expect(exact).toBe(true);
        for (const x of [...probes, addr, (addr & mask) >>> 0, (addr | ~mask) >>> 0]) {
          const kernel = ((x & mask) >>> 0) === ((addr & mask) >>> 0);
          expect(I.contains(set as I.IntervalSet<number>, x)).toBe(kernel);
        }
        let free = 0;
        for (let b = 0; b < 32; b++) if (((mask >>> b) & 1) === 0) free++;
        expect(addrCount(set)).toBe(1n << BigInt(free));
      }),
      { numRuns: 200 },
    );
  });

  it('the issue reproduction: -s 1.2.0.4/255.255.0.255 is 256 single addresses, and the audit runs', () => {
    const { set, exact } = maskedAddrSet(v4('1.2.0.4'), v4('255.255.0.255'));
    expect(exact).toBe(true);
    expect(set).toEqual(cidrsToSet(Array.from({ length: 256 }, (_, i) => `1.2.${i}.4/32`), 'ipv4'));
    const report = auditOf(snapshotWithRules([sock('tcp', '0.0.0.0', 22)], iptablesDump(['-A INPUT -s 1.2.0.4/255.255.0.255 -p tcp -m tcp --dport 22 -j ACCEPT'], { policy: 'DROP' })));
    const s = report.hosts[0]!.services[0]!;
    expect(s.sources.ipv4).toHaveLength(256);
    expect(s.sources.ipv4.slice(0, 2)).toEqual(['1.2.0.4/32', '1.2.1.4/32']);
    expect(s.uncertain).toEqual([]);
  });

  it('IPv6 masks and trailing free bits give ranges, not points', () => {
    const { set, exact } = maskedAddrSet(parseAddr('2001:db8::')!, parseAddr('ffff:ffff:0:ffff::')!);
    expect(exact).toBe(true);
    expect(I.ranges(set as I.IntervalSet<bigint>).next().value![1] - I.ranges(set as I.IntervalSet<bigint>).next().value![0]).toBe(1n << 64n);
    expect(addrCount(set)).toBe(1n << 80n);
  });

  it('past 2^16 combinations the rule may match, with the construct named, never closing the port', () => {
    const mask = '255.0.0.255'; // 16 free bits between set ones: 65,536 ranges: still exact
    expect(maskedAddrSet(v4('10.0.0.1'), v4(mask)).exact).toBe(true);
    const wide = '128.0.0.1'; // 30 free bits in between
    expect(maskedAddrSet(v4('10.0.0.1'), v4(wide)).exact).toBe(false);
    for (const rule of [`-A INPUT -s 0.0.0.1/${wide} -p tcp -m tcp --dport 22 -j DROP`, `-A INPUT ! -s 0.0.0.1/${wide} -p tcp -m tcp --dport 22 -j DROP`]) {
      const s = auditOf(snapshotWithRules([sock('tcp', '0.0.0.0', 22)], iptablesDump([rule]))).hosts[0]!.services[0]!;
      expect(s.exposure).toBe('world');
      expect(s.uncertain.map((u) => u.construct)).toEqual([rule.includes('! -s') ? `! -s 0.0.0.1/${wide}` : `-s 0.0.0.1/${wide}`]);
    }
  });
});

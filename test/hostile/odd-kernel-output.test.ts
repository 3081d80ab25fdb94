/**
 * Issue 9, items 13-14: valid but unusual kernel output. Non-contiguous masks as
 * iptables-save prints them are matched exactly (or, past 2^16 combinations, read as "may
 * match" with the construct named), never a refused audit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addrCount, cidrsToSet, maskedAddrSet, parseAddr } from '../../src/model/addr.js';
import * as I from '../../src/model/interval-set.js';
import { analyzeHost, loadHost } from '../../src/pipeline.js';
import { auditOf, explainOf, iptablesDump, snapshotWithRules, sock } from './hostile-helpers.js';

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

describe('jump loops (the kernel refuses them; a snapshot or --iptables may hold one)', () => {
  it.each([
    [['-A INPUT -j A', '-A A -j B', '-A B -j A'], ['A', 'B'], 'jump loop: B → A'],
    [['-A INPUT -j A', '-A A -j A'], ['A'], 'jump loop: A → A'],
    [['-A INPUT -j A', '-A A -g B', '-A B -p tcp -j C', '-A C -g A'], ['A', 'B', 'C'], 'jump loop: C → A'],
  ])('%j is named in the port\'s uncertain list, in a diagnostic and in explain', (loopRules, chains, construct) => {
    const snap = snapshotWithRules([sock('tcp', '0.0.0.0', 22)], iptablesDump([...loopRules, '-A INPUT -p tcp -m tcp --dport 22 -j DROP'], { chains }));
    const service = auditOf(snap).hosts[0]!.services[0]!;
    expect(service.exposure).toBe('world');
    expect(service.uncertain.map((u) => u.construct)).toContain(construct);
    const analysis = analyzeHost(loadHost(snap, 'loop.json'));
    expect(analysis.diagnostics.filter((d) => d.code === 'analyze.jump-loop').map((d) => d.message).join()).toContain('is part of a jump loop');
    const answer = explainOf(snap, { from: '203.0.113.9', to: '', port: 22, proto: 'tcp' });
    expect(answer.uncertain.map((u) => u.construct)).toContain(construct);
  });

  it('a chain jumped to twice without a loop is no loop', () => {
    const snap = snapshotWithRules([sock('tcp', '0.0.0.0', 22)], iptablesDump(['-A INPUT -j A', '-A INPUT -j A', '-A A -p tcp -m tcp --dport 22 -j DROP'], { chains: ['A'] }));
    const service = auditOf(snap).hosts[0]!.services[0]!;
    expect(service.exposure).toBe('local');
    expect(service.uncertain).toEqual([]);
    expect(analyzeHost(loadHost(snap, 'x.json')).diagnostics.some((d) => d.code === 'analyze.jump-loop')).toBe(false);
  });
});

describe('explain names the listener of a filtered flow', () => {
  it('a dropped or rejected flow to a listening socket says what listens; an unlistened port says nothing', () => {
    for (const target of ['DROP', 'REJECT --reject-with tcp-reset']) {
      const snap = snapshotWithRules([sock('tcp', '0.0.0.0', 22, { process: { pid: 9, name: 'sshd', cmdline: ['sshd'], user: 'root' } })], iptablesDump([`-A INPUT -p tcp -m tcp --dport 22 -j ${target}`]));
      const a = explainOf(snap, { from: '203.0.113.9', to: '', port: 22, proto: 'tcp' });
      expect(a.state).toBe('filtered');
      expect(a.listener).toEqual({ address: '0.0.0.0', port: 22, process: { pid: 9, name: 'sshd', cmdline: ['sshd'], user: 'root' } });
      expect(explainOf(snap, { from: '203.0.113.9', to: '', port: 2222, proto: 'tcp' }).listener).toBeNull();
    }
    // Bound to another address of the host: not the listener of this destination.
    const other = snapshotWithRules([sock('tcp', '192.0.2.99', 22)], iptablesDump(['-A INPUT -p tcp -m tcp --dport 22 -j DROP']));
    expect(explainOf(other, { from: '203.0.113.9', to: '192.0.2.1', port: 22, proto: 'tcp' }).listener).toBeNull();
  });
});

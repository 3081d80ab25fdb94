import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as I from './interval-set.js';
import { Dim, type DimSet, PacketSet, ctStateSet, ctValue, ifacePatternRange, tcpFlagsSet } from './packet-set.js';

// A tiny universe to enumerate: sources 0..7, ports 0..7, two interfaces; other dims fixed.
const SRC = 8;
const PORT = 8;
const IFACES = ['eth0', 'eth1'];
const point = (x: number) => I.range(x, x + 1);
const arbRange = (n: number) => fc.tuple(fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n })).map(([a, b]) => I.range(Math.min(a, b), Math.max(a, b)));
const arbCube = fc.record({ src: arbRange(SRC), port: arbRange(PORT), iface: fc.subarray(IFACES) });
const arbSet = fc.array(arbCube, { maxLength: 4 }).map((cubes) =>
  cubes.reduce(
    (acc, c) => acc.union(PacketSet.where('ipv4', { [Dim.Src]: c.src, [Dim.Dport]: c.port, [Dim.Iif]: I.fromRanges(c.iface.map((n) => ifacePatternRange(n))) } as Partial<Record<Dim, DimSet>>)),
    PacketSet.empty('ipv4'),
  ),
);
function members(s: PacketSet): boolean[] {
  const out: boolean[] = [];
  for (let src = 0; src < SRC; src++)
    for (let port = 0; port < PORT; port++)
      for (const iface of IFACES) {
        const probe = PacketSet.where('ipv4', { [Dim.Src]: point(src), [Dim.Dport]: point(port), [Dim.Iif]: I.range(iface, iface + '\u0000'), [Dim.Proto]: point(6), [Dim.Sport]: point(1000), [Dim.State]: point(0), [Dim.TcpFlags]: point(2), [Dim.Dst]: point(1), [Dim.Oif]: I.range('', '\u0000') } as Partial<Record<Dim, DimSet>>);
        out.push(probe.intersects(s));
      }
  return out;
}

describe('packet sets agree with brute-force enumeration', () => {
  it('union, intersection, difference', () => {
    fc.assert(
      fc.property(arbSet, arbSet, (a, b) => {
        const ma = members(a);
        const mb = members(b);
        expect(members(a.union(b))).toEqual(ma.map((x, i) => x || mb[i]!));
        expect(members(a.intersect(b))).toEqual(ma.map((x, i) => x && mb[i]!));
        expect(members(a.difference(b))).toEqual(ma.map((x, i) => x && !mb[i]!));
        expect(a.difference(b).isEmpty()).toBe(ma.every((x, i) => !x || mb[i]!));
      }),
      { numRuns: 200 },
    );
  });

  it('merges a few cubes (compared pairwise) into the cubes the interned-id merge of many gives', () => {
    const nonEmpty = (n: number) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n })).map(([a, w]) => I.range(a, Math.min(n, a + w)));
    const arbPiece = fc.record({ src: nonEmpty(SRC), port: nonEmpty(PORT), iface: fc.constantFrom(...IFACES) });
    fc.assert(
      fc.property(fc.array(arbPiece, { minLength: 2, maxLength: 8 }), (pieces) => {
        const sets = pieces.map((c) => PacketSet.where('ipv4', { [Dim.Src]: c.src, [Dim.Dport]: c.port, [Dim.Iif]: I.range(c.iface, c.iface + '\u0000') } as Partial<Record<Dim, DimSet>>));
        // Copies of the first cube only join its group: they push the merge past the pairwise size and change no cube.
        const padded = [...sets, ...Array.from({ length: 9 }, () => sets[0]!)];
        expect(PacketSet.unionAll('ipv4', sets).cubes).toEqual(PacketSet.unionAll('ipv4', padded).cubes);
      }),
      { numRuns: 300 },
    );
  });

  it('projects and rewrites one dimension', () => {
    const s = PacketSet.where('ipv4', { [Dim.Src]: I.range(0, 4), [Dim.Dport]: point(80) } as Partial<Record<Dim, DimSet>>);
    expect(s.project(Dim.Src)).toEqual([0, 4]);
    expect(s.rewrite(Dim.Dport, point(8080)).project(Dim.Dport)).toEqual([8080, 8081]);
  });

  it('projectHead starts like project and counts its ranges', () => {
    fc.assert(
      fc.property(arbSet, fc.integer({ min: 0, max: 3 }), (s, max) => {
        const all = s.project(Dim.Src);
        const { head, rangeCount } = s.projectHead(Dim.Src, max);
        expect(rangeCount).toBe(all.length / 2);
        expect(head.slice(0, 2 * max)).toEqual(all.slice(0, 2 * max));
      }),
    );
  });
});

describe('dimension helpers', () => {
  it('conntrack states include the virtual DNAT/SNAT states', () => {
    const s = ctStateSet(['NEW'])!;
    expect(I.contains(s, ctValue('NEW'))).toBe(true);
    expect(I.contains(s, ctValue('NEW', true))).toBe(true);
    expect(I.contains(s, ctValue('ESTABLISHED'))).toBe(false);
    const d = ctStateSet(['DNAT'])!;
    expect(I.contains(d, ctValue('NEW', true))).toBe(true);
    expect(I.contains(d, ctValue('NEW'))).toBe(false);
    expect(ctStateSet(['BOGUS'])).toBeNull();
  });

  it('--syn matches a SYN, not a SYN-ACK', () => {
    const syn = tcpFlagsSet(0x17, 0x02);
    expect(I.contains(syn, 0x02)).toBe(true);
    expect(I.contains(syn, 0xc2)).toBe(true);
    expect(I.contains(syn, 0x12)).toBe(false);
  });

  it('interface wildcards are prefix ranges', () => {
    const [lo, hi] = ifacePatternRange('eth+');
    expect('eth0' >= lo && 'eth0' < hi).toBe(true);
    expect('eth' >= lo && 'eth' < hi).toBe(true);
    expect('etc0' >= lo && 'etc0' < hi).toBe(false);
    expect(ifacePatternRange('+')).toEqual(['', '\uffff']);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Family, addrPointSet, parseAddr } from '../../model/addr.js';
import { type HostContext, type IpSet, emptyHostContext, ipsetEntries } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet, ifaceSet } from '../../model/packet-set.js';
import { parseIpsetSave } from '../ipset-save.js';
import { ipsetMatch } from './ipset-match.js';

const FIXTURE = new URL('../../../test/fixtures/ipset/nomatch-multidim.save', import.meta.url);
const parsed = parseIpsetSave(readFileSync(FIXTURE, 'utf8'), 'nomatch-multidim.save');
const context: HostContext = { ...emptyHostContext(), ipsets: parsed.value };

const ip = (a: string) => addrPointSet(parseAddr(a)!) as DimSet;
interface Probe {
  src?: string;
  dst?: string;
  proto?: number;
  dport?: number;
  iif?: string;
  oif?: string;
}
function packet(family: Family, p: Probe): PacketSet {
  const c: Partial<Record<Dim, DimSet>> = {};
  if (p.src) c[Dim.Src] = ip(p.src);
  if (p.dst) c[Dim.Dst] = ip(p.dst);
  c[Dim.Proto] = I.fromPoints([p.proto ?? 6]);
  if (p.dport !== undefined) c[Dim.Dport] = I.fromPoints([p.dport]);
  if (p.iif) c[Dim.Iif] = ifaceSet([p.iif]);
  if (p.oif) c[Dim.Oif] = ifaceSet([p.oif]);
  return PacketSet.where(family, c);
}
function matches(name: string, flags: string, p: Probe, family: Family = 'ipv4', ctx = context): boolean {
  const r = ipsetMatch(name, flags.split(','), family, ctx);
  if (!('set' in r)) throw new Error(r.detail);
  const probe = packet(family, p);
  const hit = r.set.intersect(probe);
  // A probe is one packet on the dimensions it names: the set holds all of it or none.
  expect(hit.isEmpty() || probe.isSubsetOf(r.set)).toBe(true);
  return !hit.isEmpty();
}

describe('ipset matching as the kernel does it', () => {
  it('parses the fixture without diagnostics', () => {
    expect(parsed.diagnostics).toEqual([]);
  });

  it('nomatch: the most specific entry decides (hash:net, both families)', () => {
    expect(matches('allow', 'src', { src: '192.0.2.1' })).toBe(true);
    expect(matches('allow', 'src', { src: '192.0.2.130' })).toBe(false); // in the nomatch /25
    expect(matches('allow', 'src', { src: '192.0.2.201' })).toBe(true); // /30 inside the nomatch /25
    expect(matches('allow', 'src', { src: '198.51.100.1' })).toBe(false);
    expect(matches('allow6', 'src', { src: '2001:db8::1' }, 'ipv6')).toBe(true);
    expect(matches('allow6', 'src', { src: '2001:db8:bad::1' }, 'ipv6')).toBe(false);
  });

  it('nomatch competes only with entries of the same port (hash:net,port)', () => {
    expect(matches('svc', 'src,dst', { src: '198.51.100.8', dport: 22 })).toBe(true);
    expect(matches('svc', 'src,dst', { src: '198.51.100.7', dport: 22 })).toBe(false);
    expect(matches('svc', 'src,dst', { src: '198.51.100.7', proto: 17, dport: 53 })).toBe(true);
    expect(matches('svc', 'src,dst', { src: '198.51.100.8', dport: 53 })).toBe(false); // tcp:53 is no entry
    // The port component read from the source side with `src,src`.
    expect(matches('svc', 'src,dst', { src: '198.51.100.8', dport: 23 })).toBe(false);
  });

  it('hash:net,port,net: first net most specific first, then the second', () => {
    expect(matches('pair', 'src,dst,dst', { src: '203.0.113.6', dport: 443, dst: '192.0.2.8' })).toBe(true);
    expect(matches('pair', 'src,dst,dst', { src: '203.0.113.5', dport: 443, dst: '192.0.2.8' })).toBe(false);
    expect(matches('pair', 'src,dst,dst', { src: '203.0.113.5', dport: 443, dst: '192.0.2.9' })).toBe(true);
    // Direction flags swap the sides.
    expect(matches('pair', 'dst,dst,src', { dst: '203.0.113.6', dport: 443, src: '192.0.2.8' })).toBe(true);
    expect(matches('pair', 'dst,dst,src', { src: '203.0.113.6', dport: 443, dst: '192.0.2.8' })).toBe(false);
  });

  it('hash:ip,port,ip and hash:net,iface (src is the input interface)', () => {
    expect(matches('ipi', 'src,dst,dst', { src: '192.0.2.10', dport: 80, dst: '192.0.2.1' })).toBe(true);
    expect(matches('ipi', 'src,dst,dst', { src: '192.0.2.10', dport: 80, dst: '192.0.2.2' })).toBe(false);
    expect(matches('byif', 'src,src', { src: '10.2.0.1', iif: 'eth1' })).toBe(true);
    expect(matches('byif', 'src,src', { src: '10.1.0.1', iif: 'eth1' })).toBe(false);
    expect(matches('byif', 'src,src', { src: '10.2.0.1', iif: 'eth0' })).toBe(false);
    expect(matches('byif', 'src,dst', { src: '10.2.0.1', oif: 'eth1' })).toBe(true);
  });

  it('fewer flags than dimensions, or the other family: never matches (ip_set_test returns 0)', () => {
    expect(matches('svc', 'src', { src: '198.51.100.8', dport: 22 })).toBe(false);
    expect(matches('allow', 'src', { src: '2001:db8::1' }, 'ipv6')).toBe(false);
    // Extra flags are ignored.
    expect(matches('allow', 'src,dst', { src: '192.0.2.1' })).toBe(true);
  });

  it('list:set matches when any member of the packet family does', () => {
    expect(matches('both', 'src,dst', { src: '192.0.2.1' })).toBe(true);
    expect(matches('both', 'src,dst', { src: '192.0.2.130' })).toBe(false);
    expect(matches('both', 'src,dst', { src: '198.51.100.8', dport: 22 })).toBe(true);
    expect(matches('both', 'src,dst', { src: '2001:db8::1' }, 'ipv6')).toBe(true);
    const r = ipsetMatch('both', ['src'], 'ipv4', { ...context, ipsets: new Map([['both', context.ipsets.get('both')!]]) });
    expect(r).toMatchObject({ kind: 'missing-data' });
  });

  it('--return-nomatch makes nomatch entries match', () => {
    const r = ipsetMatch('allow', ['src'], 'ipv4', context, true);
    expect('set' in r && !r.set.intersect(packet('ipv4', { src: '192.0.2.130' })).isEmpty()).toBe(true);
  });

  it('one sorted interval set per set and flags, shared by identity across rules', () => {
    const big: IpSet = { name: 'f2b-sshd', type: 'hash:ip', family: 'ipv4', partial: false, exceptions: [], entries: [] };
    for (let k = 0; k < 50_000; k++) big.entries.push([{ kind: 'addr', set: ip(`10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`) as never }]);
    const ctx: HostContext = { ...emptyHostContext(), ipsets: new Map([['f2b-sshd', big]]) };
    const a = ipsetMatch('f2b-sshd', ['src'], 'ipv4', ctx);
    const b = ipsetMatch('f2b-sshd', ['src'], 'ipv4', ctx);
    expect(a).toBe(b);
    if (!('set' in a)) throw new Error('lowered');
    expect(a.set.cubes).toHaveLength(1);
    expect(a.set.cubes[0]![Dim.Src]).toEqual(I.range(10 << 24, (10 << 24) + 50_000));
  });

  it('address-only sets lower the same from bound lists as from one object per entry', () => {
    const text = [
      'create bans hash:ip family inet',
      ...Array.from({ length: 40 }, (_, k) => `add bans 198.51.100.${(k * 7) % 256}`),
      'add bans 198.51.100.9-198.51.100.20',
      'create nets hash:net family inet',
      'add nets 192.0.2.0/24',
      'add nets 192.0.2.128/25 nomatch',
      'add nets 192.0.2.200/30',
      'add nets 203.0.113.0/24',
      'create v6 hash:net family inet6',
      'add v6 2001:db8::/32',
      'add v6 2001:db8:bad::/48 nomatch',
      'create none hash:ip family inet',
    ].join('\n');
    const compact = parseIpsetSave(text, 'f');
    expect(compact.diagnostics).toEqual([]);
    const general = new Map<string, IpSet>();
    for (const [name, set] of compact.value) {
      expect(set.addrEntries, name).toBeDefined();
      const { addrEntries: _, ...rest } = set;
      general.set(name, { ...rest, entries: ipsetEntries(set) });
    }
    const cases: [string, Family][] = [['bans', 'ipv4'], ['nets', 'ipv4'], ['v6', 'ipv6'], ['v6', 'ipv4'], ['none', 'ipv4']];
    for (const [name, family] of cases) {
      for (const flags of [['src'], ['dst'], ['dst', 'src']]) {
        for (const returnNomatch of [false, true]) {
          const a = ipsetMatch(name, flags, family, { ...emptyHostContext(), ipsets: compact.value }, returnNomatch);
          const b = ipsetMatch(name, flags, family, { ...emptyHostContext(), ipsets: general }, returnNomatch);
          if (!('set' in a) || !('set' in b)) throw new Error('lowered');
          expect(a.set.cubes, `${name} ${family} ${flags} ${returnNomatch}`).toEqual(b.set.cubes);
        }
      }
    }
    expect(matches('nets', 'src', { src: '192.0.2.130' }, 'ipv4', { ...emptyHostContext(), ipsets: compact.value })).toBe(false);
    expect(matches('nets', 'src', { src: '192.0.2.201' }, 'ipv4', { ...emptyHostContext(), ipsets: compact.value })).toBe(true);
    expect(matches('bans', 'src', { src: '198.51.100.15' }, 'ipv4', { ...emptyHostContext(), ipsets: compact.value })).toBe(true);
  });
});

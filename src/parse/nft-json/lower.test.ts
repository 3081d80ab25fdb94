import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Family, cidrsToSet } from '../../model/addr.js';
import { type HostContext, emptyHostContext } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet, ctStateSet, ifaceSet, portSet, tcpFlagsSet } from '../../model/packet-set.js';
import type { Action, Chain, FirewallModel, Rule } from '../../model/ruleset.js';
import { lowerNft, parseNftJson, parsePriority } from './index.js';

const FIX = 'test/fixtures/nft-json';

function load(name: string, context: HostContext = emptyHostContext()) {
  const text = readFileSync(`${FIX}/${name}.json`, 'utf8');
  const parsed = parseNftJson(text, `${name}.json`);
  expect(parsed.diagnostics).toEqual([]);
  return lowerNft(parsed.value, { context, file: `${name}.json` });
}

function chain(model: FirewallModel, table: string, name: string): Chain {
  const c = model.chains.get(`nftables/${model.family}/${table}/${name}`);
  if (!c) throw new Error(`no chain ${table}/${name} in ${model.family}: ${[...model.chains.keys()].join(', ')}`);
  return c;
}

const addr = (f: Family, ...cidrs: string[]): DimSet => cidrsToSet(cidrs, f) as DimSet;
const pts = (...n: number[]): DimSet => I.fromPoints(n);
const where = (f: Family, c: Partial<Record<Dim, DimSet>>): PacketSet => PacketSet.where(f, c);

function expectSame(actual: PacketSet, expected: PacketSet): void {
  const extra = actual.difference(expected);
  const missing = expected.difference(actual);
  expect({ extra: extra.cubes.length, missing: missing.cubes.length }).toEqual({ extra: 0, missing: 0 });
}

function rulesAt(c: Chain, position: number): Rule[] {
  return c.rules.filter((r) => r.position === position);
}

function only(c: Chain, position: number): Rule {
  const rs = rulesAt(c, position);
  expect(rs).toHaveLength(1);
  return rs[0]!;
}

const accept: Action = { type: 'accept' };
const drop: Action = { type: 'drop' };

describe('inet filter with sets and verdict maps', () => {
  const { value: m, diagnostics } = load('inet-sets-vmaps');
  const v4 = chain(m.ipv4, 'inet filter', 'input');
  const v6 = chain(m.ipv6, 'inet filter', 'input');

  it('lists the base chain in both families with its policy', () => {
    expect(diagnostics).toEqual([]);
    for (const f of ['ipv4', 'ipv6'] as const) {
      expect(m[f].baseChains).toEqual([{ chain: `nftables/${f}/inet filter/input`, hook: 'input', priority: 0, policy: 'drop', kind: 'filter' }]);
    }
    expect(v4.backend).toBe('nftables');
    expect(v4.table).toBe('inet filter');
    expect(v4.tableFamily).toBe('inet');
  });

  it('reads ct state as conntrack state sets', () => {
    const r = only(v4, 1);
    expectSame(r.match, where('ipv4', { [Dim.State]: ctStateSet(['ESTABLISHED', 'RELATED'])! }));
    expect(r.action).toEqual(accept);
    expectSame(only(v4, 2).match, where('ipv4', { [Dim.State]: ctStateSet(['INVALID'])! }));
    expect(only(v4, 2).action).toEqual(drop);
  });

  it('expands a named verdict map into one rule per verdict, same position and text', () => {
    const rs = rulesAt(v4, 3).sort((a, b) => a.action.type.localeCompare(b.action.type));
    expect(rs.map((r) => r.action)).toEqual([accept, { type: 'jump', chain: 'nftables/ipv4/inet filter/lan_in' }]);
    expectSame(rs[0]!.match, where('ipv4', { [Dim.Iif]: ifaceSet(['lo']) }));
    expectSame(rs[1]!.match, where('ipv4', { [Dim.Iif]: ifaceSet(['eth1', 'wg*']) }));
    expect(rs[0]!.text).toBe('iifname vmap @by_iface');
    expect(rs[1]!.text).toBe(rs[0]!.text);
  });

  it('lowers a named interval set once per family; ip saddr matches no IPv6 packet', () => {
    const admins = I.unionAll([addr('ipv4', '192.0.2.0/28', '203.0.113.7'), I.range(0xc6336400 + 10, 0xc6336400 + 21)]);
    expectSame(only(v4, 4).match, where('ipv4', { [Dim.Src]: admins, [Dim.Proto]: pts(6), [Dim.Dport]: pts(22) }));
    expect(only(v6, 4).match.isEmpty()).toBe(true);
    expect(only(v4, 5).match.isEmpty()).toBe(true);
    expectSame(only(v6, 5).match, where('ipv6', { [Dim.Src]: addr('ipv6', '2001:db8:1::/48'), [Dim.Proto]: pts(6), [Dim.Dport]: pts(22) }));
  });

  it('lowers a concatenated set to a union of cubes, exactly', () => {
    const expected = where('ipv4', { [Dim.Dst]: addr('ipv4', '192.0.2.1'), [Dim.Proto]: pts(6), [Dim.Dport]: pts(8080, 8443) }).union(
      where('ipv4', { [Dim.Dst]: addr('ipv4', '198.51.100.5'), [Dim.Proto]: pts(6), [Dim.Dport]: pts(9000) }),
    );
    expectSame(only(v4, 6).match, expected);
    expect(only(v6, 6).match.isEmpty()).toBe(true);
  });

  it('expands an anonymous verdict map grouped by verdict', () => {
    const rs = rulesAt(v6, 7).sort((a, b) => a.action.type.localeCompare(b.action.type));
    expect(rs.map((r) => r.action)).toEqual([accept, drop]);
    expectSame(rs[0]!.match, where('ipv6', { [Dim.Proto]: pts(6), [Dim.Dport]: pts(80, 443) }));
    expectSame(rs[1]!.match, where('ipv6', { [Dim.Proto]: pts(6), [Dim.Dport]: pts(23) }));
  });

  it('reads th dport with meta l4proto, keeps the comment and ignores the counter', () => {
    const r = only(v4, 8);
    expectSame(r.match, where('ipv4', { [Dim.Proto]: pts(6, 17), [Dim.Dport]: portSet(5000, 5010) }));
    expect(r.comment).toBe('app range');
    expect(r.action).toEqual(accept);
    expect(r.uncertain).toEqual([]);
    expect(r.handle).toBeTypeOf('number');
    expect(r.origin.path).toMatch(/^\$\.nftables\[\d+\]\.rule$/);
  });

  it('lowers regular chains too', () => {
    const lan = chain(m.ipv4, 'inet filter', 'lan_in');
    expectSame(only(lan, 1).match, where('ipv4', { [Dim.Proto]: pts(6), [Dim.Dport]: I.union(pts(53), portSet(67, 68)) }));
  });
});

describe('base chains on one hook, and families that differ', () => {
  const { value: m } = load('priorities-families');
  it('lists every base chain with its priority (named and offset ones resolved)', () => {
    const list = (f: Family) => m[f].baseChains.map((b) => `${b.chain.split('/').slice(2).join('/')} ${b.hook} ${b.priority} ${b.policy}`);
    expect(list('ipv4')).toEqual([
      'inet early/raw_in prerouting -300 accept',
      'inet early/first input -10 accept',
      'inet early/last input 10 accept',
      'inet early/sec input 50 accept',
      'ip v4only/input input 5 drop',
    ]);
    expect(list('ipv6')).toEqual([
      'inet early/raw_in prerouting -300 accept',
      'inet early/first input -10 accept',
      'inet early/last input 10 accept',
      'inet early/sec input 50 accept',
      'ip6 v6only/input input 5 accept',
    ]);
  });

  it('lowers notrack and reject with tcp reset', () => {
    expect(only(chain(m.ipv4, 'inet early', 'raw_in'), 1).action).toEqual({ type: 'notrack' });
    expect(only(chain(m.ipv6, 'inet early', 'last'), 1).action).toEqual({ type: 'reject', with: 'tcp-reset' });
  });

  it('keeps ip rules out of IPv6 and ip6 rules out of IPv4', () => {
    const s4 = chain(m.ipv4, 'inet early', 'sec');
    const s6 = chain(m.ipv6, 'inet early', 'sec');
    expectSame(only(s4, 1).match, where('ipv4', { [Dim.Src]: addr('ipv4', '203.0.113.0/24') }));
    expect(only(s4, 2).match.isEmpty()).toBe(true);
    expect(only(s6, 1).match.isEmpty()).toBe(true);
    expectSame(only(s6, 2).match, where('ipv6', { [Dim.Src]: addr('ipv6', '2001:db8:bad::/48') }));
  });

  it('puts ICMPv6 types in the destination-port dimension as type << 8 | code', () => {
    const r = only(chain(m.ipv6, 'ip6 v6only', 'input'), 2);
    expectSame(r.match, where('ipv6', { [Dim.Proto]: pts(58), [Dim.Dport]: I.union(I.range(134 * 256, 135 * 256), I.range(135 * 256, 136 * 256)) }));
  });
});

describe('netdev ingress', () => {
  const { value: m, diagnostics } = load('netdev-ingress');
  it('lists the ingress chain in both families, gated by its (unprinted) device', () => {
    for (const f of ['ipv4', 'ipv6'] as const) {
      expect(m[f].baseChains).toEqual([{ chain: `nftables/${f}/netdev edge/ingress_lo`, hook: 'ingress', priority: -450, policy: 'accept', kind: 'filter' }]);
      const c = chain(m[f], 'netdev edge', 'ingress_lo');
      expect(c.rules[0]!.position).toBe(0);
      expect(c.rules[0]!.action).toEqual(accept);
      expect(c.rules[0]!.uncertain.map((u) => u.kind)).toEqual(['missing-data']);
    }
    expect(diagnostics.some((d) => d.message.includes('ingress_lo device'))).toBe(true);
    const c4 = chain(m.ipv4, 'netdev edge', 'ingress_lo');
    expectSame(only(c4, 1).match, where('ipv4', { [Dim.Src]: addr('ipv4', '192.0.2.66') }));
    expect(only(c4, 2).match.isEmpty()).toBe(true);
  });

  it('gates by device when the dump names it', () => {
    const doc = JSON.parse(readFileSync(`${FIX}/netdev-ingress.json`, 'utf8'));
    doc.nftables[2].chain.dev = 'eth9';
    const lowered = lowerNft(parseNftJson(JSON.stringify(doc), 'x').value, { context: emptyHostContext(), file: 'x' });
    const gate = chain(lowered.value.ipv4, 'netdev edge', 'ingress_lo').rules[0]!;
    expect(gate.uncertain).toEqual([]);
    expectSame(gate.match, where('ipv4', { [Dim.Iif]: I.complement(ifaceSet(['eth9']), { min: '', max: '\uffff' }) }));
  });
});

describe('NAT', () => {
  const { value: m, diagnostics } = load('nat');
  const pre = chain(m.ipv4, 'ip nat', 'prerouting');
  it('lowers dnat with address and port', () => {
    const r = only(pre, 1);
    expectSame(r.match, where('ipv4', { [Dim.Iif]: ifaceSet(['eth0']), [Dim.Proto]: pts(6), [Dim.Dport]: pts(80) }));
    expect(r.action).toEqual({ type: 'dnat', addr: addr('ipv4', '198.51.100.10'), ports: pts(8080) });
  });
  it('lowers redirect as a dnat to the local address', () => {
    expect(only(pre, 2).action).toEqual({ type: 'dnat', toLocal: true, ports: pts(3128) });
  });
  it('expands dnat through a named map of address . port', () => {
    const rs = rulesAt(pre, 3);
    expect(rs.map((r) => r.action)).toEqual([
      { type: 'dnat', addr: addr('ipv4', '198.51.100.2'), ports: pts(80) },
      { type: 'dnat', addr: addr('ipv4', '198.51.100.3'), ports: pts(80) },
    ]);
    expectSame(rs[0]!.match, where('ipv4', { [Dim.Proto]: pts(6), [Dim.Dport]: pts(8081) }));
    expect(rs.every((r) => r.uncertain.length === 0)).toBe(true);
  });
  it('expands dnat through an anonymous map', () => {
    const rs = rulesAt(pre, 4);
    expect(rs).toHaveLength(2);
    expectSame(rs[1]!.match, where('ipv4', { [Dim.Proto]: pts(17), [Dim.Dport]: pts(5061) }));
    expect(rs[1]!.action).toEqual({ type: 'dnat', addr: addr('ipv4', '198.51.100.21') });
  });
  it('lowers masquerade and snat as snat', () => {
    const post = chain(m.ipv4, 'ip nat', 'postrouting');
    expect(post.rules.map((r) => r.action)).toEqual([{ type: 'snat' }, { type: 'snat' }]);
    expect(m.ipv4.baseChains.map((b) => [b.hook, b.priority, b.kind])).toEqual([
      ['prerouting', -100, 'nat'],
      ['postrouting', 100, 'nat'],
      ['prerouting', -105, 'nat'],
    ]);
  });
  it('applies `dnat ip6 to` only to IPv6 in an inet table', () => {
    expect(only(chain(m.ipv6, 'inet nat6', 'prerouting'), 1).action).toEqual({ type: 'dnat', addr: addr('ipv6', '2001:db8::10'), ports: pts(443) });
    expect(only(chain(m.ipv4, 'inet nat6', 'prerouting'), 1).action.type).toBe('continue');
    expect(diagnostics).toEqual([]);
  });
});

describe('reject types, conntrack, fib, limits and unmodelled constructs', () => {
  const ctx: HostContext = { ...emptyHostContext(), localAddrs: { ipv4: addr('ipv4', '127.0.0.0/8', '192.0.2.10'), ipv6: addr('ipv6', '::1', '2001:db8::10') }, broadcastAddrs: addr('ipv4', '192.0.2.255', '255.255.255.255') };
  const { value: m, diagnostics } = load('reject-ct-fib-limit', ctx);
  const c4 = chain(m.ipv4, 'inet misc', 'input');
  const c6 = chain(m.ipv6, 'inet misc', 'input');
  const tcp = (port: number) => ({ [Dim.Proto]: pts(6), [Dim.Dport]: pts(port) });

  it('reads reject types, with icmp/icmpv6 rejects bound to their family', () => {
    expect(only(c4, 1).action).toEqual({ type: 'reject', with: 'port-unreachable' });
    expectSame(only(c4, 1).match, where('ipv4', { ...tcp(1), [Dim.State]: ctStateSet(['NEW', 'UNTRACKED'])! }));
    expect(only(c4, 2).action).toEqual({ type: 'reject', with: 'admin-prohibited' });
    expect(only(c4, 3).action).toEqual({ type: 'reject', with: 'host-prohibited' });
    expect(only(c6, 3).match.isEmpty()).toBe(true);
    expect(only(c6, 4).action).toEqual({ type: 'reject', with: 'addr-unreachable' });
    expect(only(c4, 4).match.isEmpty()).toBe(true);
  });

  it('reads ct status dnat as the DNAT virtual state', () => {
    // A packet without a conntrack entry has no status: INVALID and UNTRACKED never match.
    expectSame(only(c4, 5).match, where('ipv4', { ...tcp(5), [Dim.State]: I.intersect(ctStateSet(['DNAT'])!, ctStateSet(['NEW', 'ESTABLISHED', 'RELATED'])!) }));
  });

  it('reads fib daddr type with the host context', () => {
    expectSame(only(c4, 6).match, where('ipv4', { ...tcp(6), [Dim.Dst]: ctx.localAddrs.ipv4 as DimSet }));
    expectSame(only(c6, 6).match, where('ipv6', { ...tcp(6), [Dim.Dst]: ctx.localAddrs.ipv6 as DimSet }));
    expectSame(only(c4, 7).match, where('ipv4', { [Dim.Dst]: ctx.broadcastAddrs as DimSet }));
    expect(only(c6, 7).match.isEmpty()).toBe(true); // IPv6 has no broadcast
    // nft's rp_filter: a client that can open a connection has a route back through its arrival interface.
    expect(only(c4, 8).uncertain).toEqual([]);
    expect(only(c4, 8).match.isEmpty()).toBe(true);
  });

  it('without local addresses, fib type local is missing data', () => {
    const bare = load('reject-ct-fib-limit');
    const r = only(chain(bare.value.ipv4, 'inet misc', 'input'), 6);
    expect(r.uncertain.map((u) => u.kind)).toEqual(['missing-data']);
    expectSame(r.match, where('ipv4', tcp(6)));
  });

  it('flags rate limits and unmodelled matches, keeping the known part', () => {
    expect(only(c4, 9).uncertain).toEqual([]);
    expect(only(c4, 9).limits!.map((l) => [l.construct, l.first])).toEqual([['limit rate 10/second', 'matches']]);
    expect(only(c4, 9).action).toEqual(accept);
    expectSame(only(c4, 9).match, where('ipv4', tcp(7)));
    expect(only(c4, 10).limits!.map((l) => l.first)).toEqual(['no-match']);
    expect(only(c4, 11).uncertain.map((u) => [u.construct, u.kind])).toEqual([['meta mark 42', 'unmodelled']]);
    expect(only(c4, 12).uncertain.map((u) => u.kind)).toEqual(['unmodelled']);
    expect(only(c6, 12).match.isEmpty()).toBe(true); // ip ttl: IPv4 only
    expect(only(c4, 19).uncertain.map((u) => u.construct)).toEqual(['meta skuid 0']);
  });

  it('reads masked tcp flags, icmp types and codes', () => {
    expectSame(only(c4, 13).match, where('ipv4', { ...tcp(9), [Dim.TcpFlags]: tcpFlagsSet(0x17, 0x02) }));
    expectSame(only(c4, 14).match, where('ipv4', { [Dim.Proto]: pts(1), [Dim.Dport]: I.range(8 * 256, 9 * 256) }));
    expectSame(only(c6, 15).match, where('ipv6', { [Dim.Proto]: pts(58), [Dim.Dport]: pts(128 * 256) }));
  });

  it('reads meta nfproto as a family filter', () => {
    expect(only(c4, 16).match.isEmpty()).toBe(true);
    expectSame(only(c6, 16).match, where('ipv6', { [Dim.Proto]: pts(17), [Dim.Dport]: pts(10) }));
  });

  it('treats a set filled by rules as missing data, and `add @set` as non-terminal before drop', () => {
    expect(only(c4, 17).action).toEqual(drop);
    const r = only(c4, 18);
    expect(r.uncertain.map((u) => [u.construct, u.kind])).toEqual([['ip saddr @knock', 'missing-data']]);
    expectSame(r.match, where('ipv4', tcp(12)));
  });

  it('reads negated anonymous interface sets with wildcards', () => {
    const notThese = I.complement(ifaceSet(['eth*', 'lo']), { min: '', max: '\uffff' });
    expectSame(only(c4, 20).match, where('ipv4', { ...tcp(14), [Dim.Iif]: notThese }));
  });

  it('gives a rule without verdict the continue action, and log before drop the drop', () => {
    expect(only(c4, 21).action).toEqual({ type: 'continue', note: 'meta mark set, counter' });
    expectSame(only(c4, 21).match, where('ipv4', { [Dim.Proto]: pts(6), [Dim.Dport]: I.range(0, 1024) }));
    expect(only(c4, 22).action).toEqual(drop);
  });

  it('reports each uncertain construct once, with its statement path', () => {
    const names = diagnostics.map((d) => d.message.split(':')[0]);
    expect(new Set(names).size).toBe(names.length);
    expect(diagnostics.every((d) => /^\$\.nftables\[\d+\]\.rule\.expr\[\d+\]$/.test(d.location?.path ?? ''))).toBe(true);
  });
});

describe('generated rulesets of container managers and firewalld', () => {
  it('docker nftables backend: bridge verdict maps, published port DNAT, direct-access drop', () => {
    const { value: m } = load('docker-nftables');
    expect(m.ipv6.chains.size).toBe(0);
    const fwd = chain(m.ipv4, 'ip docker-bridges', 'filter-FORWARD');
    expect(fwd.rules.map((r) => r.action)).toEqual([
      { type: 'jump', chain: 'nftables/ipv4/ip docker-bridges/filter-forward-in__docker0' },
      { type: 'jump', chain: 'nftables/ipv4/ip docker-bridges/filter-forward-out__docker0' },
    ]);
    expectSame(fwd.rules[0]!.match, where('ipv4', { [Dim.Oif]: ifaceSet(['docker0']) }));
    const dnat = only(chain(m.ipv4, 'ip docker-bridges', 'nat-prerouting-and-output'), 1);
    expect(dnat.action).toEqual({ type: 'dnat', addr: addr('ipv4', '172.17.0.2'), ports: pts(80) });
    expect(dnat.comment).toBe('DNAT');
    const raw = only(chain(m.ipv4, 'ip docker-bridges', 'raw-PREROUTING'), 1);
    expectSame(raw.match, where('ipv4', { [Dim.Dst]: addr('ipv4', '172.17.0.2'), [Dim.Iif]: I.complement(ifaceSet(['docker0']), { min: '', max: '\uffff' }) }));
    expect(m.ipv4.baseChains.map((b) => `${b.hook}:${b.priority}:${b.kind}`)).toEqual(['forward:0:filter', 'output:-100:nat', 'postrouting:100:nat', 'prerouting:-100:nat', 'prerouting:-300:filter']);
  });

  it('podman netavark: mark-based masquerade is uncertain, hostport DNAT exact', () => {
    const { value: m } = load('podman-netavark');
    const post = chain(m.ipv4, 'inet netavark', 'POSTROUTING');
    expect(post.rules[0]!.uncertain.map((u) => u.kind)).toEqual(['unmodelled']);
    expect(post.rules[0]!.action).toEqual({ type: 'snat' });
    const d = chain(m.ipv4, 'inet netavark', 'nv_2f259bab_10_88_0_0_nm16_dnat');
    expect(d.rules[2]!.action).toEqual({ type: 'dnat', addr: addr('ipv4', '10.88.0.2'), ports: pts(80) });
    expect(chain(m.ipv6, 'inet netavark', 'nv_2f259bab_10_88_0_0_nm16_dnat').rules[2]!.action.type).toBe('continue');
    expect(chain(m.ipv4, 'inet netavark', 'NETAVARK-HOSTPORT-SETMARK').rules[0]!.action).toEqual({ type: 'continue', note: 'meta mark set' });
  });

  it('firewalld: priorities with offsets, zone jumps, final reject', () => {
    const { value: m, diagnostics } = load('firewalld');
    expect(m.ipv4.baseChains.map((b) => `${b.chain.split('/').pop()}:${b.priority}`)).toEqual([
      'filter_PREROUTING:10',
      'filter_INPUT:10',
      'filter_FORWARD:10',
      'filter_OUTPUT:10',
      'nat_PREROUTING:-90',
      'nat_POSTROUTING:110',
      'mangle_PREROUTING:-140',
    ]);
    const input = chain(m.ipv4, 'inet firewalld', 'filter_INPUT');
    expect(input.rules.map((r) => r.action.type)).toEqual(['accept', 'accept', 'accept', 'drop', 'jump', 'reject']);
    expect(input.rules[5]!.action).toEqual({ type: 'reject', with: 'admin-prohibited' });
    const allow6 = chain(m.ipv6, 'inet firewalld', 'filter_IN_public_allow');
    expectSame(allow6.rules[1]!.match, where('ipv6', { [Dim.Dst]: addr('ipv6', 'fe80::/64'), [Dim.Proto]: pts(17), [Dim.Dport]: pts(546) }));
    const pre4 = chain(m.ipv4, 'inet firewalld', 'filter_PREROUTING');
    expect(pre4.rules[1]!.match.isEmpty()).toBe(true); // meta nfproto ipv6 … in IPv4
    expect(diagnostics).toEqual([]);
  });
});

describe('parsePriority', () => {
  it('reads numbers, named priorities and offsets', () => {
    expect(parsePriority(-5)).toBe(-5);
    expect(parsePriority('filter')).toBe(0);
    expect(parsePriority('filter + 10')).toBe(10);
    expect(parsePriority('dstnat-5')).toBe(-105);
    expect(parsePriority('srcnat + 1')).toBe(101);
    expect(parsePriority('raw')).toBe(-300);
    expect(parsePriority('mangle')).toBe(-150);
    expect(parsePriority('security')).toBe(50);
    expect(parsePriority('-200')).toBe(-200);
    expect(parsePriority('bogus')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { cidrsToSet } from '../../model/addr.js';
import { emptyHostContext } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet, ctStateSet, tcpFlagsSet } from '../../model/packet-set.js';
import type { Rule } from '../../model/ruleset.js';
import { lowerNft, parseNftJson } from './index.js';

/** Lower rules of one inet (or given family) table chain `c`, with optional extra objects. */
function lower(exprs: unknown[][], opts: { family?: string; extra?: unknown[]; skip?: (f: string, t: string) => boolean } = {}) {
  const family = opts.family ?? 'inet';
  const items = [
    { table: { family, name: 't' } },
    { chain: { family, table: 't', name: 'c', type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
    { chain: { family, table: 't', name: 'other' } },
    ...(opts.extra ?? []),
    ...exprs.map((expr) => ({ rule: { family, table: 't', chain: 'c', expr } })),
  ];
  const parsed = parseNftJson(JSON.stringify({ nftables: items }), 'x.json');
  expect(parsed.diagnostics).toEqual([]);
  const lowerOpts = opts.skip ? { context: emptyHostContext(), file: 'x.json', skipTable: opts.skip } : { context: emptyHostContext(), file: 'x.json' };
  return lowerNft(parsed.value, lowerOpts);
}

const rules = (r: ReturnType<typeof lower>, f: 'ipv4' | 'ipv6' = 'ipv4'): Rule[] => r.value[f].chains.get(`nftables/${f}/inet t/c`)?.rules ?? r.value[f].chains.get(`nftables/${f}/ip t/c`)!.rules;
const m = (left: unknown, right: unknown, op = '==') => ({ match: { op, left, right } });
const P = (protocol: string, field: string) => ({ payload: { protocol, field } });
const same = (a: PacketSet, b: PacketSet) => expect(a.difference(b).isEmpty() && b.difference(a).isEmpty()).toBe(true);

describe('statements and verdicts', () => {
  it('xt compat expressions are uncertain and named; an xt target without verdict is an unknown action', () => {
    const r = lower([[{ xt: { type: 'match', name: 'addrtype' } }, { accept: null }], [{ xt: { type: 'target', name: 'CHECKSUM' } }], [{ xt: null }, { drop: null }]]);
    const [a, b, c] = rules(r);
    expect(a!.uncertain).toMatchObject([{ construct: 'xt match addrtype', kind: 'unknown' }]);
    expect(a!.action).toEqual({ type: 'accept' });
    expect(b!.action).toEqual({ type: 'unknown', name: 'xt target CHECKSUM' });
    expect(c!.action).toEqual({ type: 'drop' });
    expect(c!.uncertain[0]!.kind).toBe('unknown');
    expect(r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.location?.path)).toEqual(['$.nftables[3].rule.expr[0]', '$.nftables[4].rule.expr[0]', '$.nftables[5].rule.expr[0]']);
  });

  it('a table family that names an Object.prototype member is an unknown family, not a crash', () => {
    const r = lower([[{ accept: null }]], { family: 'toString' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['unsupported.nft-json.family']);
    expect(r.value.ipv4.chains.size + r.value.ipv6.chains.size).toBe(0);
  });

  it('a value whose own toString is not a function is shown as its JSON, not a crash (fuzz.test.ts, seed -1837401899)', () => {
    const odd = { toString: {} };
    const r = lower([[{ jump: { target: odd } }], [{ limit: { rate: odd, per: 'second' } }, { accept: null }]]);
    const [a, b] = rules(r);
    expect(a!.action).toEqual({ type: 'unknown', name: 'jump {"toString":{}}' });
    expect(a!.uncertain[0]).toMatchObject({ construct: 'jump {"toString":{}}', kind: 'unknown' });
    expect(b!.uncertain[0]).toMatchObject({ construct: 'limit rate {"toString":{}}/second', kind: 'rate-limit' });
  });

  it('reports each construct of a statement once, though an inet chain is lowered in both families', () => {
    const r = lower([[{ vmap: { key: { meta: { key: 'mark' } }, data: { set: [[1, { jump: { target: 'ghost' } }]] } } }]]);
    expect(r.diagnostics.map((d) => [d.code, d.location?.path, d.message.split(':')[0]])).toEqual([
      ['unsupported.nft-json.unmodelled', '$.nftables[3].rule.expr[0]', 'meta mark vmap { 1 '],
      ['unsupported.nft-json.unknown', '$.nftables[3].rule.expr[0]', 'jump ghost'],
    ]);
  });

  it('unknown statements never crash and never close: uncertain, unknown action when no verdict follows', () => {
    const r = lower([[{ frobnicate: { x: 1 } }], [7, { accept: null }], [m({ payload: { base: 'nh', offset: 9, len: 8 } }, 6), { drop: null }]]);
    const [a, b, c] = rules(r);
    expect(a!.action).toEqual({ type: 'unknown', name: 'frobnicate' });
    expect(a!.uncertain[0]).toMatchObject({ construct: 'frobnicate', kind: 'unknown' });
    expect(b!.action).toEqual({ type: 'accept' });
    expect(b!.uncertain[0]!.kind).toBe('unknown');
    expect(c!.action).toEqual({ type: 'drop' });
    expect(c!.match.isAll()).toBe(true);
    expect(c!.uncertain[0]).toMatchObject({ construct: '@nh,9,8 6', kind: 'unknown' });
  });

  it('queue, continue, return, goto; jump to a missing chain is unknown', () => {
    const r = lower([[{ queue: { num: 1 } }], [{ continue: null }], [{ return: null }], [{ goto: { target: 'other' } }], [{ jump: { target: 'ghost' } }]]);
    expect(rules(r).map((x) => x.action)).toEqual([
      { type: 'queue' },
      { type: 'continue', note: 'continue' },
      { type: 'return' },
      { type: 'goto', chain: 'nftables/ipv4/inet t/other' },
      { type: 'unknown', name: 'jump ghost' },
    ]);
  });

  it('notrack followed by a verdict yields both, at the same position', () => {
    const r = lower([[{ notrack: null }, { accept: null }]]);
    expect(rules(r).map((x) => [x.position, x.action.type])).toEqual([
      [1, 'notrack'],
      [1, 'accept'],
    ]);
  });

  it('rate and count statements are decided for the first connection; byte rates and quotas stay uncertain', () => {
    const r = lower([
      [{ limit: { rate: 1, per: 'second' } }, { accept: null }],
      [{ quota: { val: 1, val_unit: 'mbytes' } }, { accept: null }],
      [{ meter: { name: 'm', key: P('ip', 'saddr'), stmt: { limit: { rate: 1, burst: 5, per: 'second', inv: true } } } }, { drop: null }],
      [{ set: { op: 'update', elem: P('ip', 'saddr'), set: '@s', stmt: [{ 'ct count': { val: 10, inv: true } }] } }, { reject: null }],
      [{ 'ct count': { val: 3 } }, { accept: null }],
      [{ limit: { rate: 1, per: 'second', rate_unit: 'kbytes' } }, { accept: null }],
    ]);
    expect(rules(r).map((x) => x.uncertain.map((u) => u.kind))).toEqual([[], ['rate-limit'], [], [], [], ['rate-limit']]);
    expect(rules(r).map((x) => x.limits?.map((l) => [l.first, l.later]))).toEqual([
      [['matches', 'beyond 1/second (burst 5) over every packet this rule sees']],
      undefined,
      [['no-match', 'above 1/second (burst 5) per ip saddr']],
      [['no-match', 'more than 10 connections per ip saddr']],
      [['matches', 'more than 3 connections over every packet this rule sees']],
      undefined,
    ]);
    expect(r.diagnostics.every((d) => d.severity === 'info')).toBe(true);
  });

  it('header rewrites are flagged, mark rewrites are only notes', () => {
    const r = lower([[{ mangle: { key: P('ip', 'daddr'), value: '192.0.2.1' } }], [{ mangle: { key: { meta: { key: 'mark' } }, value: 1 } }]]);
    const [a, b] = rules(r);
    expect(a!.uncertain.map((u) => u.kind)).toEqual(['unmodelled']);
    expect(b!.uncertain).toEqual([]);
    expect(b!.action).toEqual({ type: 'continue', note: 'meta mark set' });
  });
});

describe('verdict maps on conntrack state and family', () => {
  it('ct state vmap and meta nfproto vmap', () => {
    const r = lower([
      [{ vmap: { key: { ct: { key: 'state' } }, data: { set: [['established', { accept: null }], ['related', { accept: null }], ['invalid', { drop: null }]] } } }],
      [{ vmap: { key: { meta: { key: 'nfproto' } }, data: { set: [['ipv4', { jump: { target: 'other' } }], ['ipv6', { drop: null }]] } } }],
    ]);
    const v4 = rules(r);
    expect(v4.map((x) => [x.position, x.action.type])).toEqual([
      [1, 'accept'],
      [1, 'drop'],
      [2, 'jump'],
      [2, 'drop'],
    ]);
    same(v4[0]!.match, PacketSet.where('ipv4', { [Dim.State]: ctStateSet(['ESTABLISHED', 'RELATED'])! }));
    expect(v4[2]!.match.isAll()).toBe(true);
    expect(v4[3]!.match.isEmpty()).toBe(true);
    const v6 = rules(r, 'ipv6');
    expect(v6[2]!.match.isEmpty()).toBe(true);
    expect(v6[3]!.match.isAll()).toBe(true);
  });

  it('anonymous chains, which nft 1.0.x prints as text, are an unknown action', () => {
    const r = lower([[m(P('tcp', 'dport'), 22), 'jump {\n\t\ttcp dport 22 accept\n\t}']]);
    const x = rules(r)[0]!;
    expect(x.action).toEqual({ type: 'unknown', name: 'jump to an anonymous chain' });
    expect(x.uncertain[0]!.kind).toBe('unknown');
  });
});

describe('matches', () => {
  it('concatenations with icmpv6 types land in the destination-port dimension', () => {
    const r = lower([[m({ concat: [P('ip6', 'daddr'), P('icmpv6', 'type')] }, { set: [{ concat: [{ prefix: { addr: 'ff02::1:ff00:0', len: 104 } }, 'nd-neighbor-solicit'] }] }), { accept: null }]]);
    const x = rules(r, 'ipv6')[0]!;
    expect(x.uncertain).toEqual([]);
    same(x.match, PacketSet.where('ipv6', { [Dim.Dst]: cidrsToSet(['ff02::1:ff00:0/104'], 'ipv6') as DimSet, [Dim.Proto]: I.fromPoints([58]), [Dim.Dport]: I.range(135 * 256, 136 * 256) }));
    expect(rules(r)[0]!.match.isEmpty()).toBe(true);
  });

  it('orderings and != on ports and protocols', () => {
    const r = lower([[m(P('tcp', 'dport'), 1024, '>=')], [m(P('udp', 'sport'), 53, '!=')], [m({ meta: { key: 'l4proto' } }, 'tcp', '!=')]]);
    const [a, b, c] = rules(r);
    same(a!.match, PacketSet.where('ipv4', { [Dim.Proto]: I.fromPoints([6]), [Dim.Dport]: I.range(1024, 65536) }));
    same(b!.match, PacketSet.where('ipv4', { [Dim.Proto]: I.fromPoints([17]), [Dim.Sport]: I.union(I.range(0, 53), I.range(54, 65536)) }));
    same(c!.match, PacketSet.where('ipv4', { [Dim.Proto]: I.union(I.range(0, 6), I.range(7, 256)) }));
  });

  it('masked addresses with contiguous masks are prefixes; other masks are unmodelled', () => {
    const r = lower([[m({ '&': [P('ip', 'saddr'), '255.255.255.0'] }, '192.0.2.0')], [m({ '&': [P('ip', 'saddr'), '255.0.255.0'] }, '10.0.1.0')]]);
    const [a, b] = rules(r);
    same(a!.match, PacketSet.where('ipv4', { [Dim.Src]: cidrsToSet(['192.0.2.0/24'], 'ipv4') as DimSet }));
    expect(b!.uncertain.map((u) => u.kind)).toEqual(['unmodelled']);
  });

  it('tcp flags: bit tests, sets of combinations, masks', () => {
    const r = lower([[m(P('tcp', 'flags'), 'syn', 'in')], [m(P('tcp', 'flags'), { set: [{ '|': ['syn', 'ack'] }, 'syn'] })], [m(P('tcp', 'flags'), ['syn', 'rst'], 'in')]]);
    const [a, b, c] = rules(r);
    const syn = I.fromPoints([...Array(256).keys()].filter((v) => v & 2));
    same(a!.match, PacketSet.where('ipv4', { [Dim.Proto]: I.fromPoints([6]), [Dim.TcpFlags]: syn }));
    same(b!.match, PacketSet.where('ipv4', { [Dim.Proto]: I.fromPoints([6]), [Dim.TcpFlags]: I.fromPoints([2, 18]) }));
    same(c!.match, PacketSet.where('ipv4', { [Dim.Proto]: I.fromPoints([6]), [Dim.TcpFlags]: I.fromPoints([...Array(256).keys()].filter((v) => v & 6)) }));
    expect(tcpFlagsSet(2, 2)).toEqual(syn);
  });

  it('ct state != and ct status values other than dnat/snat', () => {
    const r = lower([[m({ ct: { key: 'state' } }, 'established', '!=')], [m({ ct: { key: 'status' } }, 'assured', 'in')], [m({ ct: { key: 'mark' } }, 1)]]);
    const [a, b, c] = rules(r);
    same(a!.match, PacketSet.where('ipv4', { [Dim.State]: ctStateSet(['NEW', 'RELATED', 'INVALID', 'UNTRACKED'])! }));
    expect(b!.uncertain.map((u) => u.kind)).toEqual(['unmodelled']);
    expect(c!.uncertain.map((u) => u.construct)).toEqual(['ct mark 1']);
  });

  it('concatenation with != is the complement of the union', () => {
    const r = lower([[m({ concat: [P('ip', 'saddr'), P('tcp', 'dport')] }, { set: [{ concat: ['192.0.2.1', 22] }] }, '!=')]]);
    const x = rules(r)[0]!;
    const hit = PacketSet.where('ipv4', { [Dim.Src]: I.fromPoints([0xc0000201]), [Dim.Proto]: I.fromPoints([6]), [Dim.Dport]: I.fromPoints([22]) });
    expect(x.match.intersects(hit)).toBe(false);
    expect(PacketSet.where('ipv4', { [Dim.Proto]: I.fromPoints([6]), [Dim.Dport]: I.fromPoints([23]) }).isSubsetOf(x.match)).toBe(true);
  });

  it('values it cannot read are uncertain, not guessed', () => {
    const r = lower([[m(P('tcp', 'dport'), 'no-such-service'), { drop: null }], [m(P('ip', 'saddr'), '@nosuchset'), { drop: null }]]);
    const [a, b] = rules(r);
    expect(a!.uncertain[0]).toMatchObject({ kind: 'unknown' });
    same(a!.match, PacketSet.where('ipv4', { [Dim.Proto]: I.fromPoints([6]) }));
    expect(b!.uncertain[0]!.detail).toContain('not declared');
  });

  it('meta protocol, pkttype, iif and oif', () => {
    const ctx = { ...emptyHostContext(), broadcastAddrs: cidrsToSet(['255.255.255.255/32'], 'ipv4') };
    const items = [
      { table: { family: 'inet', name: 't' } },
      { chain: { family: 'inet', table: 't', name: 'c', type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
      ...[[m({ meta: { key: 'protocol' } }, 'ip6')], [m({ meta: { key: 'pkttype' } }, 'broadcast')], [m({ meta: { key: 'oif' } }, 'lo')]].map((expr) => ({ rule: { family: 'inet', table: 't', chain: 'c', expr } })),
    ];
    const r = lowerNft(parseNftJson(JSON.stringify({ nftables: items }), 'x').value, { context: ctx, file: 'x' });
    const [a, b, c] = rules(r);
    expect(a!.match.isEmpty()).toBe(true);
    same(b!.match, PacketSet.where('ipv4', { [Dim.Dst]: ctx.broadcastAddrs as DimSet }));
    same(c!.match, PacketSet.where('ipv4', { [Dim.Oif]: ['lo', 'lo\u0000'] }));
    expect(rules(r, 'ipv6')[1]!.match.isEmpty()).toBe(true);
  });
});

describe('tables and families', () => {
  it('bridge and arp tables are reported, not modelled', () => {
    const items = [{ table: { family: 'bridge', name: 'b' } }, { table: { family: 'arp', name: 'a' } }, { chain: { family: 'bridge', table: 'b', name: 'x', type: 'filter', hook: 'input', prio: 0 } }];
    const r = lowerNft(parseNftJson(JSON.stringify({ nftables: items }), 'x').value, { context: emptyHostContext(), file: 'x' });
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['info', 'unsupported.nft-json.family'],
      ['info', 'unsupported.nft-json.family'],
    ]);
    expect(r.diagnostics[0]!.message).toContain('bridged frames');
    expect(r.value.ipv4.chains.size + r.value.ipv6.chains.size).toBe(0);
  });

  it('skipTable drops the tables iptables-nft-save already printed', () => {
    const r = lower([[{ accept: null }]], { family: 'ip', skip: (f, t) => f === 'ip' && t === 't' });
    expect(r.value.ipv4.chains.size).toBe(0);
    expect(r.value.ipv4.baseChains).toEqual([]);
  });

  it('an ip table lowers into IPv4 only', () => {
    const r = lower([[{ accept: null }]], { family: 'ip' });
    expect(r.value.ipv6.chains.size).toBe(0);
    expect([...r.value.ipv4.chains.keys()]).toEqual(['nftables/ipv4/ip t/c', 'nftables/ipv4/ip t/other']);
  });
});

describe('numgen verdict maps (kube-proxy nftables mode)', () => {
  it('every branch may be taken; when the keys cover every value, nothing falls through', () => {
    const gotoOf = (t: string) => ({ goto: { target: t } });
    const extra = [{ chain: { family: 'inet', table: 't', name: 'a' } }, { chain: { family: 'inet', table: 't', name: 'b' } }];
    const r = lower(
      [
        [{ vmap: { key: { numgen: { mode: 'random', mod: 2, offset: 0 } }, data: { set: [[0, gotoOf('a')], [1, gotoOf('b')]] } } }],
        [{ vmap: { key: { numgen: { mode: 'random', mod: 3, offset: 0 } }, data: { set: [[0, gotoOf('a')], [1, gotoOf('b')]] } } }],
      ],
      { extra },
    );
    const [first, last, partA, partB] = rules(r);
    expect([first!.action, last!.action]).toEqual([{ type: 'goto', chain: 'nftables/ipv4/inet t/a' }, { type: 'goto', chain: 'nftables/ipv4/inet t/b' }]);
    // The first branch only may match; the last takes whatever it did not.
    expect(first!.uncertain.map((u) => u.construct)).toEqual([expect.stringContaining('numgen random mod 2')]);
    expect(last!.uncertain).toEqual([]);
    expect(last!.match.isAll()).toBe(true);
    // mod 3 with two keys: value 2 falls through, so both branches stay uncertain.
    expect(partA!.uncertain).not.toEqual([]);
    expect(partB!.uncertain).not.toEqual([]);
  });
});

describe('model rules', () => {
  it('carry their text as an own enumerable property, in the order of the Rule fields, and nothing else a copy would see', () => {
    const r = lower([[{ match: { op: '==', left: P('tcp', 'dport'), right: 22 } }, { accept: null }]]);
    const [rule] = rules(r);
    expect(Object.keys(rule!)).toEqual(['position', 'text', 'origin', 'match', 'uncertain', 'action']);
    expect(Object.getOwnPropertyDescriptor(rule, 'text')?.enumerable).toBe(true);
    expect({ ...rule }.text).toBe('tcp dport 22 accept');
    expect(JSON.parse(JSON.stringify({ text: rule!.text, action: rule!.action }))).toEqual({ text: 'tcp dport 22 accept', action: { type: 'accept' } });
    expect(Object.getOwnPropertySymbols({ ...rule })).toEqual([]);
  });
});

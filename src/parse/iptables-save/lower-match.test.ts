import { describe, expect, it } from 'vitest';
import { type Family, cidrsToSet } from '../../model/addr.js';
import { type HostContext, type IpSet, emptyHostContext } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet, ctStateSet, ifaceSet, portSet, tcpFlagsSet } from '../../model/packet-set.js';
import { lowerIptables, parseIptablesSave } from './index.js';

const CONTEXT: HostContext = {
  localAddrs: { ipv4: cidrsToSet(['127.0.0.0/8', '192.0.2.1/32'], 'ipv4'), ipv6: cidrsToSet(['::1/128', '2001:db8::1/128'], 'ipv6') },
  broadcastAddrs: cidrsToSet(['192.0.2.255/32', '255.255.255.255/32'], 'ipv4'),
  ipsets: new Map(),
};

/** Lower `-A INPUT <rule>` in a filter table; returns the rule and every diagnostic. */
function lowerOne(rule: string, opts: { family?: Family; context?: HostContext } = {}) {
  const family = opts.family ?? 'ipv4';
  const text = `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:user - [0:0]\n-A INPUT ${rule}\nCOMMIT\n`;
  const parsed = parseIptablesSave(text, 'test.rules');
  const lowered = lowerIptables(parsed.value, { family, backend: 'iptables-nft', context: opts.context ?? CONTEXT, file: 'test.rules' });
  const r = lowered.value.chains.get(`iptables-nft/${family}/filter/INPUT`)!.rules[0]!;
  return { rule: r, diagnostics: [...parsed.diagnostics, ...lowered.diagnostics] };
}

const v4 = (c: Partial<Record<Dim, DimSet>>) => PacketSet.where('ipv4', c);
const v6 = (c: Partial<Record<Dim, DimSet>>) => PacketSet.where('ipv6', c);
const addr4 = (...cidrs: string[]) => cidrsToSet(cidrs, 'ipv4') as DimSet;
const addr6 = (...cidrs: string[]) => cidrsToSet(cidrs, 'ipv6') as DimSet;
const proto = (n: number) => I.range(n, n + 1);
const not = (set: DimSet, dim: Dim, family: Family = 'ipv4') => PacketSet.all(family).difference(PacketSet.where(family, { [dim]: set })).project(dim);
const TCP = proto(6);
const UDP = proto(17);

function expectMatch(rule: string, expected: PacketSet, opts: { family?: Family; context?: HostContext } = {}) {
  const { rule: r, diagnostics } = lowerOne(rule, opts);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.uncertain).toEqual([]);
  expect(r.match.key()).toBe(expected.key());
  expect(r.match.isSubsetOf(expected) && expected.isSubsetOf(r.match)).toBe(true);
  return r;
}

describe('lowering: addresses, protocols, interfaces', () => {
  it('-s/-d with prefixes, dotted masks, comma lists and negation', () => {
    expectMatch('-s 192.0.2.0/24 -d 198.51.100.7/32 -j ACCEPT', v4({ [Dim.Src]: addr4('192.0.2.0/24'), [Dim.Dst]: addr4('198.51.100.7/32') }));
    expectMatch('-s 192.0.2.9/255.255.255.0 -j ACCEPT', v4({ [Dim.Src]: addr4('192.0.2.0/24') }));
    expectMatch('-s 192.0.2.1,198.51.100.0/24 -j ACCEPT', v4({ [Dim.Src]: addr4('192.0.2.1/32', '198.51.100.0/24') }));
    expectMatch('! -s 192.0.2.0/24 -j ACCEPT', v4({ [Dim.Src]: not(addr4('192.0.2.0/24'), Dim.Src) }));
    expectMatch('-s 2001:db8::/32 ! -d 2001:db8::1 -j ACCEPT', v6({ [Dim.Src]: addr6('2001:db8::/32'), [Dim.Dst]: not(addr6('2001:db8::1/128'), Dim.Dst, 'ipv6') }), { family: 'ipv6' });
  });

  it('-p by name, number, all, and negated', () => {
    expectMatch('-p tcp -j ACCEPT', v4({ [Dim.Proto]: TCP }));
    expectMatch('-p 17 -j ACCEPT', v4({ [Dim.Proto]: UDP }));
    expectMatch('-p all -j ACCEPT', PacketSet.all('ipv4'));
    expectMatch('! -p tcp -j ACCEPT', v4({ [Dim.Proto]: not(TCP, Dim.Proto) }));
    expectMatch('-p ipv6-icmp -j ACCEPT', v6({ [Dim.Proto]: proto(58) }), { family: 'ipv6' });
  });

  it('-i/-o with names, + wildcards and negation', () => {
    expectMatch('-i eth0 -o docker0 -j ACCEPT', v4({ [Dim.Iif]: ifaceSet(['eth0']), [Dim.Oif]: ifaceSet(['docker0']) }));
    expectMatch('-i br-+ -j ACCEPT', v4({ [Dim.Iif]: ifaceSet(['br-+']) }));
    const r = expectMatch('! -i lo -j ACCEPT', v4({ [Dim.Iif]: not(ifaceSet(['lo']), Dim.Iif) }));
    const iif = r.match.project(Dim.Iif);
    expect(I.contains(iif, 'lo')).toBe(false);
    expect(I.contains(iif, 'lo0')).toBe(true);
    expect(I.contains(iif, 'eth0')).toBe(true);
  });

  it('-f never matches (first fragments only), ! -f always', () => {
    expect(lowerOne('-f -j DROP').rule.match.isEmpty()).toBe(true);
    expectMatch('! -f -j DROP', PacketSet.all('ipv4'));
  });
});

describe('lowering: ports and protocol modules', () => {
  it('tcp/udp/sctp/dccp --dport/--sport: single, range, open ends, negated', () => {
    expectMatch('-p tcp -m tcp --dport 22 -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.Dport]: portSet(22, 22) }));
    expectMatch('-p udp -m udp --sport 67 --dport 68 -j ACCEPT', v4({ [Dim.Proto]: UDP, [Dim.Sport]: portSet(67, 67), [Dim.Dport]: portSet(68, 68) }));
    expectMatch('-p tcp -m tcp --dport 1024:65535 -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.Dport]: portSet(1024, 65535) }));
    expectMatch('-p tcp -m tcp --dport :1023 -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.Dport]: portSet(0, 1023) }));
    expectMatch('-p tcp -m tcp --dport 8000: -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.Dport]: portSet(8000, 65535) }));
    expectMatch('-p tcp -m tcp ! --dport 22 -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.Dport]: not(portSet(22, 22), Dim.Dport) }));
    expectMatch('-p sctp -m sctp --dport 3868 -j ACCEPT', v4({ [Dim.Proto]: proto(132), [Dim.Dport]: portSet(3868, 3868) }));
    expectMatch('-p dccp -m dccp --sport 5000 -j ACCEPT', v4({ [Dim.Proto]: proto(33), [Dim.Sport]: portSet(5000, 5000) }));
    expectMatch('-p tcp --dport 22 -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.Dport]: portSet(22, 22) }));
  });

  it('multiport --dports/--sports/--ports and their negations', () => {
    const ports = I.union(I.union(portSet(22, 22), portSet(80, 80)), portSet(8000, 8010));
    expectMatch('-p tcp -m multiport --dports 22,80,8000:8010 -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.Dport]: ports }));
    expectMatch('-p udp -m multiport --sports 53,123 -j ACCEPT', v4({ [Dim.Proto]: UDP, [Dim.Sport]: I.union(portSet(53, 53), portSet(123, 123)) }));
    expectMatch('-p tcp -m multiport ! --dports 22,80 -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.Dport]: not(I.union(portSet(22, 22), portSet(80, 80)), Dim.Dport) }));
    // --ports S: sport ∈ S or dport ∈ S — two cubes.
    const s = I.union(portSet(22, 22), portSet(80, 80));
    const r = expectMatch('-p tcp -m multiport --ports 22,80 -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.Sport]: s }).union(v4({ [Dim.Proto]: TCP, [Dim.Dport]: s })));
    expect(r.match.cubes).toHaveLength(2);
    expectMatch('-p tcp -m multiport ! --ports 22,80 -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.Sport]: not(s, Dim.Sport), [Dim.Dport]: not(s, Dim.Dport) }));
  });

  it('--tcp-flags and --syn, negated', () => {
    const syn = tcpFlagsSet(0x17, 0x02);
    expectMatch('-p tcp -m tcp --syn -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.TcpFlags]: syn }));
    expectMatch('-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.TcpFlags]: syn }));
    expectMatch('-p tcp -m tcp ! --syn -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.TcpFlags]: not(syn, Dim.TcpFlags) }));
    expectMatch('-p tcp -m tcp --tcp-flags ALL NONE -j DROP', v4({ [Dim.Proto]: TCP, [Dim.TcpFlags]: tcpFlagsSet(0x3f, 0) }));
    expect(lowerOne('-p tcp -m tcp --tcp-flags SYN,ACK FIN -j DROP').rule.match.isEmpty()).toBe(true);
  });

  it('--icmp-type and --icmpv6-type: names, type, type/code, any, negation', () => {
    const ICMP = proto(1);
    expectMatch('-p icmp -m icmp --icmp-type 8 -j ACCEPT', v4({ [Dim.Proto]: ICMP, [Dim.Dport]: I.range(8 << 8, (8 << 8) + 256) }));
    expectMatch('-p icmp -m icmp --icmp-type echo-request -j ACCEPT', v4({ [Dim.Proto]: ICMP, [Dim.Dport]: I.range(2048, 2304) }));
    expectMatch('-p icmp -m icmp --icmp-type 3/4 -j ACCEPT', v4({ [Dim.Proto]: ICMP, [Dim.Dport]: I.range(772, 773) }));
    expectMatch('-p icmp -m icmp --icmp-type fragmentation-needed -j ACCEPT', v4({ [Dim.Proto]: ICMP, [Dim.Dport]: I.range(772, 773) }));
    expectMatch('-p icmp -m icmp --icmp-type any -j ACCEPT', v4({ [Dim.Proto]: ICMP }));
    expectMatch('-p icmp -m icmp ! --icmp-type 8 -j DROP', v4({ [Dim.Proto]: ICMP, [Dim.Dport]: not(I.range(2048, 2304), Dim.Dport) }));
    const ICMP6 = proto(58);
    expectMatch('-p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT', v6({ [Dim.Proto]: ICMP6, [Dim.Dport]: I.range(128 << 8, (128 << 8) + 256) }), { family: 'ipv6' });
    expectMatch('-p ipv6-icmp -m icmp6 --icmpv6-type neighbour-advertisement -j ACCEPT', v6({ [Dim.Proto]: ICMP6, [Dim.Dport]: I.range(136 << 8, (136 << 8) + 256) }), { family: 'ipv6' });
    expectMatch('-p ipv6-icmp -m icmp6 --icmpv6-type 1/4 -j ACCEPT', v6({ [Dim.Proto]: ICMP6, [Dim.Dport]: I.range(260, 261) }), { family: 'ipv6' });
  });
});

describe('lowering: state, addrtype, iprange, set', () => {
  it('state --state and conntrack --ctstate, negated', () => {
    expectMatch('-m state --state RELATED,ESTABLISHED -j ACCEPT', v4({ [Dim.State]: ctStateSet(['RELATED', 'ESTABLISHED'])! }));
    expectMatch('-m conntrack --ctstate NEW -j ACCEPT', v4({ [Dim.State]: ctStateSet(['NEW'])! }));
    expectMatch('-m conntrack ! --ctstate INVALID -j ACCEPT', v4({ [Dim.State]: not(ctStateSet(['INVALID'])!, Dim.State) }));
    expectMatch('-m conntrack --ctstate DNAT -j ACCEPT', v4({ [Dim.State]: ctStateSet(['DNAT'])! }));
  });

  it('conntrack original tuple: the packet before a DNAT, the recorded original after it', () => {
    const NEW = ctStateSet(['NEW'])!;
    const NEW_DNAT = I.intersect(NEW, ctStateSet(['DNAT'])!);
    const NEW_PLAIN = I.difference(NEW, NEW_DNAT);
    const p8080 = portSet(8080, 8080);
    expectMatch(
      '-m conntrack --ctstate NEW --ctorigdstport 8080 -j ACCEPT',
      v4({ [Dim.State]: NEW_PLAIN, [Dim.Dport]: p8080 }).union(v4({ [Dim.State]: NEW_DNAT, [Dim.OrigDport]: p8080 })),
    );
    const a = addr4('192.0.2.1/32');
    const TRACKED = ctStateSet(['NEW', 'ESTABLISHED', 'RELATED'])!;
    const TRACKED_DNAT = I.intersect(TRACKED, ctStateSet(['DNAT'])!);
    expectMatch(
      '-m conntrack ! --ctorigdst 192.0.2.1 -j DROP',
      v4({ [Dim.State]: I.difference(TRACKED, TRACKED_DNAT), [Dim.Dst]: not(a, Dim.Dst) }).union(v4({ [Dim.State]: TRACKED_DNAT, [Dim.OrigDst]: not(a, Dim.Dst) })),
    );
    // Without a conntrack entry only --ctstate decides (xt_conntrack returns early).
    const inv = lowerOne('-m conntrack --ctstate INVALID,NEW --ctorigsrc 198.51.100.0/24 -j DROP').rule.match;
    expect(inv.intersects(v4({ [Dim.State]: ctStateSet(['INVALID'])!, [Dim.Src]: addr4('203.0.113.1/32') }))).toBe(true);
    expect(inv.intersects(v4({ [Dim.State]: NEW, [Dim.Src]: addr4('203.0.113.1/32') }))).toBe(false);
    expectMatch('-m conntrack --ctorigsrc 198.51.100.0/24 --ctproto tcp -j ACCEPT', v4({ [Dim.State]: TRACKED, [Dim.Src]: addr4('198.51.100.0/24'), [Dim.Proto]: TCP }));
    expectMatch('-m conntrack --ctstatus DNAT -j ACCEPT', v4({ [Dim.State]: TRACKED_DNAT }));
    expectMatch('-m conntrack --ctdir ORIGINAL -j ACCEPT', v4({ [Dim.State]: TRACKED }));
    expect(lowerOne('-m conntrack --ctdir REPLY -j ACCEPT').rule.match.isEmpty()).toBe(true);
    const { rule, diagnostics } = lowerOne('-m conntrack --ctexpire 10:100 -j ACCEPT');
    expect(rule.uncertain).toEqual([{ construct: '-m conntrack --ctexpire 10:100', kind: 'unmodelled', detail: 'conntrack --ctexpire is not modelled' }]);
    expect(diagnostics.map((d) => [d.code, d.severity, d.input])).toEqual([['unsupported.match', 'warning', '-m conntrack --ctexpire']]);
  });

  it('addrtype from the host context: LOCAL, BROADCAST, MULTICAST, UNICAST, negation', () => {
    expectMatch('-m addrtype --dst-type LOCAL -j ACCEPT', v4({ [Dim.Dst]: addr4('127.0.0.0/8', '192.0.2.1/32') }));
    expectMatch('-m addrtype --dst-type BROADCAST -j DROP', v4({ [Dim.Dst]: addr4('192.0.2.255/32', '255.255.255.255/32') }));
    expectMatch('-m addrtype --dst-type MULTICAST -j DROP', v4({ [Dim.Dst]: addr4('224.0.0.0/4') }));
    expectMatch('-m addrtype --src-type LOCAL,MULTICAST -j DROP', v4({ [Dim.Src]: addr4('127.0.0.0/8', '192.0.2.1/32', '224.0.0.0/4') }));
    const special = addr4('127.0.0.0/8', '192.0.2.1/32', '192.0.2.255/32', '255.255.255.255/32', '224.0.0.0/4');
    expectMatch('-m addrtype --dst-type UNICAST -j ACCEPT', v4({ [Dim.Dst]: not(special, Dim.Dst) }));
    expectMatch('-m addrtype ! --dst-type LOCAL -j ACCEPT', v4({ [Dim.Dst]: not(addr4('127.0.0.0/8', '192.0.2.1/32'), Dim.Dst) }));
    expectMatch('-m addrtype --dst-type MULTICAST -j DROP', v6({ [Dim.Dst]: addr6('ff00::/8') }), { family: 'ipv6' });
    expectMatch('-m addrtype --dst-type BROADCAST -j DROP', PacketSet.empty('ipv6'), { family: 'ipv6' });
  });

  it('addrtype without host data, with --limit-iface-in, or a routing type: open, with its reason', () => {
    const missing = lowerOne('-m addrtype --dst-type LOCAL -j user', { context: emptyHostContext() });
    expect(missing.rule.match.isAll()).toBe(true);
    expect(missing.rule.uncertain).toEqual([{ construct: '-m addrtype --dst-type LOCAL', kind: 'missing-data', detail: "the snapshot lacks the host's local addresses" }]);
    expect(missing.diagnostics.map((d) => [d.code, d.input])).toEqual([['unsupported.missing-data', '-m addrtype LOCAL']]);
    const limited = lowerOne('-m addrtype --dst-type LOCAL --limit-iface-in -j ACCEPT');
    expect(limited.rule.match.isAll()).toBe(true);
    expect(limited.rule.uncertain.map((u) => u.kind)).toEqual(['unmodelled']);
    const anycast = lowerOne('-m addrtype --dst-type ANYCAST -j ACCEPT');
    expect(anycast.rule.uncertain.map((u) => [u.kind, u.construct])).toEqual([['unmodelled', '-m addrtype --dst-type ANYCAST']]);
  });

  it('iprange --src-range/--dst-range, negated', () => {
    const range = I.range((192 << 24) + (2 << 8) + 10 >>> 0, ((192 << 24) + (2 << 8) + 21) >>> 0);
    expectMatch('-m iprange --src-range 192.0.2.10-192.0.2.20 -j ACCEPT', v4({ [Dim.Src]: range }));
    expectMatch('-m iprange ! --dst-range 192.0.2.10-192.0.2.20 -j ACCEPT', v4({ [Dim.Dst]: not(range, Dim.Dst) }));
  });

  it('set --match-set with members from the context, per direction flag', () => {
    const allow: IpSet = { name: 'allow', type: 'hash:net', family: 'ipv4', partial: false, exceptions: [], entries: [[{ kind: 'addr', set: addr4('192.0.2.0/24') }], [{ kind: 'addr', set: addr4('198.51.100.0/24') }]] };
    const svc: IpSet = {
      name: 'svc', type: 'hash:ip,port', family: 'ipv4', partial: false, exceptions: [],
      entries: [
        [{ kind: 'addr', set: addr4('192.0.2.1/32') }, { kind: 'port', proto: 6, ports: portSet(22, 22) }],
        [{ kind: 'addr', set: addr4('192.0.2.2/32') }, { kind: 'port', proto: 6, ports: portSet(22, 22) }],
        [{ kind: 'addr', set: addr4('192.0.2.1/32') }, { kind: 'port', proto: 17, ports: portSet(53, 53) }],
      ],
    };
    const nomatch: IpSet = { name: 'partial', type: 'hash:mac', family: 'ipv4', partial: true, entries: [], exceptions: [] };
    const context: HostContext = { ...CONTEXT, ipsets: new Map([['allow', allow], ['svc', svc], ['partial', nomatch]]) };
    const both = addr4('192.0.2.0/24', '198.51.100.0/24');
    expectMatch('-m set --match-set allow src -j ACCEPT', v4({ [Dim.Src]: both }), { context });
    expectMatch('-m set ! --match-set allow src -j DROP', v4({ [Dim.Src]: not(both, Dim.Src) }), { context });
    expectMatch('-m set --match-set allow dst -j ACCEPT', v4({ [Dim.Dst]: both }), { context });
    const r = expectMatch(
      '-m set --match-set svc dst,dst -j ACCEPT',
      v4({ [Dim.Dst]: addr4('192.0.2.1/32', '192.0.2.2/32'), [Dim.Proto]: TCP, [Dim.Dport]: portSet(22, 22) }).union(v4({ [Dim.Dst]: addr4('192.0.2.1/32'), [Dim.Proto]: UDP, [Dim.Dport]: portSet(53, 53) })),
      { context },
    );
    expect(r.match.cubes).toHaveLength(2);
    const neg = lowerOne('-m set ! --match-set svc dst,dst -j DROP', { context }).rule.match;
    expect(neg.intersects(r.match)).toBe(false);
    expect(neg.union(r.match).isAll()).toBe(true);
    for (const [name, kind, code] of [['unknown-set', 'missing-data', 'unsupported.missing-data'], ['partial', 'unmodelled', 'unsupported.match']] as const) {
      const u = lowerOne(`-m set --match-set ${name} src -j ACCEPT`, { context });
      expect(u.rule.match.isAll()).toBe(true);
      expect(u.rule.uncertain.map((x) => x.kind)).toEqual([kind]);
      expect(u.diagnostics.map((d) => [d.code, d.input])).toEqual([[code, `-m set --match-set ${name}`]]);
    }
  });
});

describe('lowering: comment, pkttype, rate limits, unmodelled and unknown modules', () => {
  it('comment becomes rule.comment and restricts nothing', () => {
    const r = expectMatch('-p tcp -m tcp --dport 80 -m comment --comment "web server" -j ACCEPT', v4({ [Dim.Proto]: TCP, [Dim.Dport]: portSet(80, 80) }));
    expect(r.comment).toBe('web server');
  });

  it('pkttype: unicast matches every modelled packet, broadcast/multicast none', () => {
    expectMatch('-m pkttype --pkt-type unicast -j ACCEPT', PacketSet.all('ipv4'));
    expect(lowerOne('-m pkttype --pkt-type broadcast -j DROP').rule.match.isEmpty()).toBe(true);
    expect(lowerOne('-m pkttype --pkt-type multicast -j DROP').rule.match.isEmpty()).toBe(true);
    expectMatch('-m pkttype ! --pkt-type broadcast -j ACCEPT', PacketSet.all('ipv4'));
    expect(lowerOne('-m pkttype ! --pkt-type unicast -j DROP').rule.match.isEmpty()).toBe(true);
  });

  it('limiters decided for the first connection: limit and hashlimit-upto match, connlimit-above, hashlimit-above and recent --hitcount ≥ 2 do not', () => {
    const cases: [string, 'matches' | 'no-match', string][] = [
      ['-m limit --limit 3/min --limit-burst 10', 'matches', 'beyond 3/min (burst 10), counted over every packet this rule sees'],
      ['-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 1 --hashlimit-mode srcip --hashlimit-name x', 'matches', 'beyond 5/sec (burst 1) per srcip'],
      ['-m hashlimit --hashlimit-above 5/sec --hashlimit-mode srcip --hashlimit-name x', 'no-match', 'above 5/sec (burst 5) per srcip'],
      ['-m recent --rcheck --seconds 60 --hitcount 4 --name SSH --rsource', 'no-match', 'from a source with 4 hits on list SSH within 60 s'],
      ['-m recent ! --rcheck --seconds 60 --hitcount 2 --name SSH --rsource', 'matches', 'from a source with 2 hits on list SSH within 60 s'],
      ['-m connlimit --connlimit-above 10 --connlimit-mask 32 --connlimit-saddr', 'no-match', 'more than 10 concurrent connections from one address'],
      ['-m connlimit --connlimit-upto 10 --connlimit-mask 24 --connlimit-saddr', 'matches', 'more than 10 concurrent connections from one /24 network'],
    ];
    for (const [m, first, later] of cases) {
      const { rule, diagnostics } = lowerOne(`-p tcp -m tcp --dport 22 ${m} -j ACCEPT`);
      expect(rule.match.key()).toBe(v4({ [Dim.Proto]: TCP, [Dim.Dport]: portSet(22, 22) }).key());
      expect(rule.uncertain).toEqual([]);
      expect(rule.limits).toEqual([{ construct: m, first, later }]);
      expect(diagnostics).toEqual([]);
    }
  });

  it('limiters whose first answer depends on other traffic or on history stay rate-limit uncertainties', () => {
    for (const m of ['-m recent --rcheck --seconds 60 --name SSH --rsource', '-m recent --update --hitcount 3 --name SSH --rdest', '-m connlimit --connlimit-above 2 --connlimit-daddr', '-m hashlimit --hashlimit-upto 1kb/s --hashlimit-name x', '-m connbytes --connbytes 10000: --connbytes-dir both --connbytes-mode bytes', '-m quota --quota 1000000']) {
      const { rule, diagnostics } = lowerOne(`-p tcp -m tcp --dport 22 ${m} -j ACCEPT`);
      expect(rule.limits).toBeUndefined();
      expect(rule.uncertain).toHaveLength(1);
      expect(rule.uncertain[0]).toMatchObject({ kind: 'rate-limit', construct: m });
      expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([['unsupported.rate-limit', 'info']]);
    }
    const recent = lowerOne('-m recent --update --seconds 60 --name SSH --rsource -j DROP').rule.uncertain[0]!;
    expect(recent.detail).toBe('matches by source history: --update on list SSH, within 60 s');
  });

  it('recent --set alone records and always matches', () => {
    expectMatch('-p tcp -m tcp --dport 22 -m recent --set --name SSH --rsource', v4({ [Dim.Proto]: TCP, [Dim.Dport]: portSet(22, 22) }));
  });

  it('unmodelled modules keep their text; unknown modules are unknown', () => {
    for (const m of ['-m mark --mark 0x1/0x1', '-m owner --uid-owner 1000', '-m mac --mac-source 00:11:22:33:44:55', '-m physdev --physdev-in eth0', '-m string --string "GET /" --algo bm', '-m time --timestart 08:00', '-m policy --dir in --pol ipsec', '-m ttl --ttl-eq 64', '-m length --length 0:100']) {
      const { rule, diagnostics } = lowerOne(`-s 192.0.2.0/24 ${m} -j ACCEPT`);
      expect(rule.match.key()).toBe(v4({ [Dim.Src]: addr4('192.0.2.0/24') }).key());
      expect(rule.uncertain).toEqual([{ construct: m, kind: 'unmodelled', detail: `${m.split(' ')[1]} condition is not modelled` }]);
      expect(diagnostics.map((d) => [d.code, d.severity, d.input])).toEqual([['unsupported.match', 'warning', `-m ${m.split(' ')[1]}`]]);
    }
    const { rule, diagnostics } = lowerOne('-m frobnicate --level 3 -j ACCEPT');
    expect(rule.uncertain).toEqual([{ construct: '-m frobnicate --level 3', kind: 'unknown', detail: 'unknown match module frobnicate' }]);
    expect(diagnostics[0]).toMatchObject({ code: 'unsupported.match', message: expect.stringContaining('-m frobnicate is not understood') });
    const opt = lowerOne('-p tcp -m tcp --tcp-option 7 -j DROP').rule;
    expect(opt.uncertain.map((u) => [u.kind, u.construct])).toEqual([['unmodelled', '-m tcp --tcp-option 7']]);
  });
});

describe('lowering: malformed values are errors at the rule line, and the rule stays', () => {
  it.each([
    ['-s 192.0.2.300 -j ACCEPT', 'ipv4 address in -s 192.0.2.300'],
    ['-s 2001:db8::1 -j ACCEPT', 'ipv4 address in -s 2001:db8::1'],
    ['-p bogus -j ACCEPT', 'protocol in -p bogus'],
    ['-p tcp -m tcp --dport 70000 -j ACCEPT', 'port in --dport 70000'],
    ['-p tcp -m multiport --dports 22,x -j ACCEPT', 'port list in --dports 22,x'],
    ['-p icmp -m icmp --icmp-type bogus -j ACCEPT', 'ICMP type in --icmp-type bogus'],
    ['-m state --state NEWISH -j ACCEPT', 'connection state in --state NEWISH'],
    ['-p tcp -m tcp --tcp-flags SYN,BOGUS SYN -j ACCEPT', 'TCP flags in --tcp-flags SYN,BOGUS SYN'],
    ['-m addrtype --dst-type LOCALISH -j ACCEPT', 'address type in --dst-type LOCALISH'],
  ])('%s', (rule, message) => {
    const { rule: r, diagnostics } = lowerOne(rule);
    const errs = diagnostics.filter((d) => d.severity === 'error');
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ code: 'parse.bad-value', message, location: { file: 'test.rules', line: 6 } });
    expect(r.uncertain.map((u) => u.kind)).toEqual(['unknown']);
    expect(r.match.isEmpty()).toBe(false);
  });
});

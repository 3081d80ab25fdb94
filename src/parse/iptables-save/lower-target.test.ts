import { describe, expect, it } from 'vitest';
import { cidrsToSet } from '../../model/addr.js';
import { emptyHostContext } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import { portSet } from '../../model/packet-set.js';
import type { Action } from '../../model/ruleset.js';
import { lowerIptables, parseIptablesSave } from './index.js';

/** Lower one rule in `table`/`chain` (the built-in chains of every table are declared). */
function target(rule: string, opts: { table?: string; chain?: string; family?: 'ipv4' | 'ipv6' } = {}) {
  const table = opts.table ?? 'filter';
  const chains: Record<string, string[]> = {
    filter: ['INPUT', 'FORWARD', 'OUTPUT'],
    nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
    mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
    raw: ['PREROUTING', 'OUTPUT'],
  };
  const chain = opts.chain ?? chains[table]![0]!;
  const decl = chains[table]!.map((c) => `:${c} ACCEPT [0:0]\n`).join('') + ':user - [0:0]\n';
  const family = opts.family ?? 'ipv4';
  const parsed = parseIptablesSave(`*${table}\n${decl}-A ${chain} ${rule}\nCOMMIT\n`, 't.rules');
  const lowered = lowerIptables(parsed.value, { family, backend: 'iptables-legacy', context: emptyHostContext(), file: 't.rules' });
  const r = lowered.value.chains.get(`iptables-legacy/${family}/${table}/${chain}`)!.rules[0]!;
  return { rule: r, action: r.action, diagnostics: [...parsed.diagnostics, ...lowered.diagnostics] };
}
const act = (rule: string, opts?: Parameters<typeof target>[1]): Action => target(rule, opts).action;

describe('lowering targets', () => {
  it('ACCEPT, DROP, RETURN', () => {
    expect(act('-j ACCEPT')).toEqual({ type: 'accept' });
    expect(act('-j DROP')).toEqual({ type: 'drop' });
    expect(act('-j RETURN')).toEqual({ type: 'return' });
  });

  it('REJECT with every reply type, and the per-family default', () => {
    expect(act('-j REJECT')).toEqual({ type: 'reject', with: 'port-unreachable' });
    expect(act('-j REJECT', { family: 'ipv6' })).toEqual({ type: 'reject', with: 'port-unreachable' });
    const cases: [string, string][] = [
      ['tcp-reset', 'tcp-reset'], ['icmp-net-unreachable', 'net-unreachable'], ['icmp-host-unreachable', 'host-unreachable'],
      ['icmp-port-unreachable', 'port-unreachable'], ['icmp-proto-unreachable', 'proto-unreachable'], ['icmp-net-prohibited', 'net-prohibited'],
      ['icmp-host-prohibited', 'host-prohibited'], ['icmp-admin-prohibited', 'admin-prohibited'],
    ];
    for (const [given, want] of cases) expect(act(`-p tcp -j REJECT --reject-with ${given}`)).toEqual({ type: 'reject', with: want });
    const v6: [string, string][] = [['icmp6-no-route', 'no-route'], ['icmp6-adm-prohibited', 'admin-prohibited'], ['icmp6-addr-unreachable', 'addr-unreachable'], ['icmp6-port-unreachable', 'port-unreachable'], ['icmp6-policy-fail', 'policy-fail'], ['icmp6-reject-route', 'reject-route'], ['tcp-reset', 'tcp-reset']];
    for (const [given, want] of v6) expect(act(`-p tcp -j REJECT --reject-with ${given}`, { family: 'ipv6' })).toEqual({ type: 'reject', with: want });
    const bad = target('-j REJECT --reject-with icmp-bogus');
    expect(bad.action).toEqual({ type: 'reject', with: 'port-unreachable' });
    expect(bad.diagnostics.map((d) => [d.code, d.message, d.location?.line])).toEqual([['parse.bad-value', 'unknown reject type "icmp-bogus"', 6]]);
  });

  it('user chains: -j is jump, -g is goto, both by chain id', () => {
    expect(act('-j user')).toEqual({ type: 'jump', chain: 'iptables-legacy/ipv4/filter/user' });
    expect(act('-g user')).toEqual({ type: 'goto', chain: 'iptables-legacy/ipv4/filter/user' });
  });

  it('non-terminating targets continue, naming the target', () => {
    for (const t of ['LOG --log-prefix "x: "', 'NFLOG --nflog-group 1', 'ULOG', 'AUDIT --type drop', 'TRACE', 'MARK --set-xmark 0x1/0xffffffff', 'CONNMARK --save-mark', 'TCPMSS --clamp-mss-to-pmtu', 'CHECKSUM --checksum-fill', 'TTL --ttl-set 64', 'HL --hl-set 64', 'DSCP --set-dscp 0x10', 'TOS --set-tos 0x10', 'CLASSIFY --set-class 1:1', 'SET --add-set s src', 'SECMARK --selctx x', 'CONNSECMARK --save', 'IDLETIMER --timeout 5 --label x', 'LED --led-trigger-id x', 'TEE --gateway 192.0.2.1', 'CT --helper ftp']) {
      const { action, diagnostics } = target(`-j ${t}`, { table: 'mangle' });
      expect(action).toEqual({ type: 'continue', note: t.split(' ')[0] });
      expect(diagnostics).toEqual([]);
    }
    expect(act('-s 192.0.2.1')).toEqual({ type: 'continue', note: 'counter' });
  });

  it('NOTRACK and CT --notrack stop tracking', () => {
    expect(act('-j NOTRACK', { table: 'raw' })).toEqual({ type: 'notrack' });
    expect(act('-j CT --notrack', { table: 'raw' })).toEqual({ type: 'notrack' });
  });

  it('DNAT: address, range, ports, IPv6 brackets', () => {
    const a = (c: string) => cidrsToSet([c], 'ipv4');
    expect(act('-p tcp -j DNAT --to-destination 192.0.2.10', { table: 'nat' })).toEqual({ type: 'dnat', addr: a('192.0.2.10/32') });
    expect(act('-p tcp -j DNAT --to-destination 192.0.2.10:8080', { table: 'nat' })).toEqual({ type: 'dnat', addr: a('192.0.2.10/32'), ports: portSet(8080, 8080) });
    expect(act('-p tcp -j DNAT --to-destination 192.0.2.10-192.0.2.11:8080-8090', { table: 'nat' })).toEqual({ type: 'dnat', addr: a('192.0.2.10/31'), ports: portSet(8080, 8090) });
    expect(act('-p tcp -j DNAT --to-destination :8080', { table: 'nat' })).toEqual({ type: 'dnat', ports: portSet(8080, 8080) });
    const a6 = (c: string) => cidrsToSet([c], 'ipv6');
    expect(act('-p tcp -j DNAT --to-destination [2001:db8::2]:80', { table: 'nat', family: 'ipv6' })).toEqual({ type: 'dnat', addr: a6('2001:db8::2/128'), ports: portSet(80, 80) });
    expect(act('-p tcp -j DNAT --to-destination 2001:db8::2', { table: 'nat', family: 'ipv6' })).toEqual({ type: 'dnat', addr: a6('2001:db8::2/128') });
    // Several --to-destination (old kernels): the union.
    expect(act('-p tcp -j DNAT --to-destination 192.0.2.10:80 --to-destination 192.0.2.12:80', { table: 'nat' })).toEqual({ type: 'dnat', addr: I.union(a('192.0.2.10/32'), a('192.0.2.12/32')), ports: portSet(80, 80) });
    const bad = target('-p tcp -j DNAT --to-destination 192.0.2.999', { table: 'nat' });
    expect(bad.action).toEqual({ type: 'unknown', name: 'DNAT' });
    expect(bad.rule.uncertain.map((u) => u.kind)).toEqual(['unknown']);
    expect(bad.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['parse.bad-value']);
  });

  it('REDIRECT is a DNAT to the local address, with or without ports', () => {
    expect(act('-p tcp -j REDIRECT --to-ports 8080', { table: 'nat' })).toEqual({ type: 'dnat', ports: portSet(8080, 8080), toLocal: true });
    expect(act('-p tcp -j REDIRECT --to-ports 8000-8010', { table: 'nat' })).toEqual({ type: 'dnat', ports: portSet(8000, 8010), toLocal: true });
    expect(act('-p tcp -j REDIRECT', { table: 'nat' })).toEqual({ type: 'dnat', toLocal: true });
  });

  it('NETMAP maps the prefix, uncertain; in POSTROUTING it is a source NAT', () => {
    const { action, rule, diagnostics } = target('-d 203.0.113.0/24 -j NETMAP --to 198.51.100.0/24', { table: 'nat' });
    expect(action).toEqual({ type: 'dnat', addr: cidrsToSet(['198.51.100.0/24'], 'ipv4') });
    expect(rule.uncertain).toEqual([expect.objectContaining({ kind: 'unmodelled', construct: '-j NETMAP --to 198.51.100.0/24' })]);
    expect(diagnostics.map((d) => d.code)).toEqual(['unsupported.target']);
    expect(act('-s 192.0.2.0/24 -j NETMAP --to 198.51.100.0/24', { table: 'nat', chain: 'POSTROUTING' })).toEqual({ type: 'snat' });
  });

  it('SNAT and MASQUERADE are source NAT; QUEUE and NFQUEUE are queue', () => {
    expect(act('-j SNAT --to-source 203.0.113.1', { table: 'nat', chain: 'POSTROUTING' })).toEqual({ type: 'snat' });
    expect(act('-j MASQUERADE', { table: 'nat', chain: 'POSTROUTING' })).toEqual({ type: 'snat' });
    expect(act('-j NFQUEUE --queue-num 1 --queue-bypass')).toEqual({ type: 'queue' });
    expect(act('-j QUEUE')).toEqual({ type: 'queue' });
  });

  it('any other target is unknown, by name, with one warning per name', () => {
    const { action, diagnostics } = target('-p tcp -j TARPIT');
    expect(action).toEqual({ type: 'unknown', name: 'TARPIT' });
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'unsupported.target', severity: 'warning', input: '-j TARPIT', location: { file: 't.rules', line: 6 } })]);
  });
});

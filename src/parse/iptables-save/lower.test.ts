import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cidrsToSet } from '../../model/addr.js';
import { emptyHostContext } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import { Dim, portSet } from '../../model/packet-set.js';
import { NAT_SRC_PRIORITY, XTABLES_PRIORITY } from '../../model/ruleset.js';
import { lowerIptables, parseIptablesSave } from './index.js';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/iptables-save');
const load = (name: string, family: 'ipv4' | 'ipv6' = 'ipv4', context = emptyHostContext()) => {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  const parsed = parseIptablesSave(text, name);
  const lowered = lowerIptables(parsed.value, { family, backend: 'iptables-nft', context, file: name });
  return { text, parsed, model: lowered.value, diagnostics: [...parsed.diagnostics, ...lowered.diagnostics] };
};

const ALL_TABLES = `*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
*security
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
`;

describe('lowerIptables: chains and hooks', () => {
  it('gives every built-in chain its hook, priority and kind', () => {
    const parsed = parseIptablesSave(ALL_TABLES, 'all');
    expect(parsed.diagnostics).toEqual([]);
    const { value } = lowerIptables(parsed.value, { family: 'ipv6', backend: 'iptables-legacy', context: emptyHostContext(), file: 'all' });
    const got = value.baseChains.map((b) => [b.chain.split('/').slice(2).join(' '), b.hook, b.priority, b.kind, b.policy]);
    expect(got).toEqual([
      ['raw PREROUTING', 'prerouting', XTABLES_PRIORITY.raw, 'filter', 'accept'],
      ['raw OUTPUT', 'output', -300, 'filter', 'accept'],
      ['mangle PREROUTING', 'prerouting', XTABLES_PRIORITY.mangle, 'filter', 'accept'],
      ['mangle INPUT', 'input', -150, 'filter', 'accept'],
      ['mangle FORWARD', 'forward', -150, 'filter', 'accept'],
      ['mangle OUTPUT', 'output', -150, 'route', 'accept'],
      ['mangle POSTROUTING', 'postrouting', -150, 'filter', 'accept'],
      ['nat PREROUTING', 'prerouting', XTABLES_PRIORITY.nat, 'nat', 'accept'],
      ['nat INPUT', 'input', NAT_SRC_PRIORITY, 'nat', 'accept'],
      ['nat OUTPUT', 'output', -100, 'nat', 'accept'],
      ['nat POSTROUTING', 'postrouting', 100, 'nat', 'accept'],
      ['filter INPUT', 'input', 0, 'filter', 'drop'],
      ['filter FORWARD', 'forward', 0, 'filter', 'drop'],
      ['filter OUTPUT', 'output', 0, 'filter', 'accept'],
      ['security INPUT', 'input', 50, 'filter', 'accept'],
      ['security FORWARD', 'forward', 50, 'filter', 'accept'],
      ['security OUTPUT', 'output', 50, 'filter', 'accept'],
    ]);
    const c = value.chains.get('iptables-legacy/ipv6/nat/POSTROUTING')!;
    expect(c).toMatchObject({ id: 'iptables-legacy/ipv6/nat/POSTROUTING', backend: 'iptables-legacy', family: 'ipv6', table: 'nat', tableFamily: 'ip6', name: 'POSTROUTING', rules: [], origin: { file: 'all', line: 16 } });
    expect(value.family).toBe('ipv6');
  });

  it('user chains are chains without a base chain', () => {
    const { model } = load('ufw-ssh-limit.rules');
    expect(model.chains.has('iptables-nft/ipv4/filter/ufw-user-input')).toBe(true);
    expect(model.baseChains.some((b) => b.chain.endsWith('/ufw-user-input'))).toBe(false);
  });

  it('never drops a rule: every -A line becomes a rule at its line, with its text and position', () => {
    for (const name of ['ufw-ssh-limit.rules', 'docker-published-port.rules', 'nat-targets.rules', 'counters.rules']) {
      const { text, model } = load(name);
      const lines = text.split('\n').flatMap((l, i) => (/^(\[\d+:\d+\] )?-A /.test(l) ? [i + 1] : []));
      const rules = [...model.chains.values()].flatMap((c) => c.rules.map((r, k) => ({ r, k })));
      expect(rules.map(({ r }) => r.origin.line).sort((a, b) => a! - b!)).toEqual(lines);
      for (const { r, k } of rules) {
        expect(r.position).toBe(k + 1);
        expect(text.split('\n')[r.origin.line! - 1]!.trim().endsWith(r.text)).toBe(true);
      }
    }
  });

  it('reports each unmodelled construct once per file with its count and first line', () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m mac --mac-source 00:00:5e:00:53:01 -j ACCEPT\n-A INPUT -m mark --mark 1 -j DROP\n-A INPUT -m mac --mac-source 00:00:5e:00:53:02 -j ACCEPT\n-A INPUT -j TARPIT\n-A INPUT -j TARPIT\nCOMMIT\n';
    const lowered = lowerIptables(parseIptablesSave(text, 'f').value, { family: 'ipv4', backend: 'iptables-legacy', context: emptyHostContext(), file: 'f' });
    expect(lowered.diagnostics.map((d) => [d.code, d.input, d.location?.line, /\((\d+) rules?, first at line (\d+)\)/.exec(d.message)?.slice(1)])).toEqual([
      ['unsupported.match', '-m mac', 3, ['2', '3']],
      ['unsupported.match', '-m mark', 4, ['1', '4']],
      ['unsupported.target', '-j TARPIT', 6, ['2', '6']],
    ]);
  });
});

describe('real rulesets written the way ufw and Docker write them', () => {
  const context = {
    localAddrs: { ipv4: cidrsToSet(['127.0.0.0/8', '192.0.2.1/32'], 'ipv4'), ipv6: null },
    broadcastAddrs: cidrsToSet(['192.0.2.255/32', '255.255.255.255/32'], 'ipv4'),
    ipsets: new Map(),
  };

  it('ufw with "ufw limit 22/tcp": chains, limit rules and the BROADCAST skip', () => {
    const { model, diagnostics } = load('ufw-ssh-limit.rules', 'ipv4', context);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const user = model.chains.get('iptables-nft/ipv4/filter/ufw-user-input')!.rules;
    expect(user[0]!.comment).toBe("'dapp_Apache'");
    expect(user[2]!.action).toEqual({ type: 'continue', note: 'counter' }); // recent --set only records
    expect(user[2]!.uncertain).toEqual([]);
    expect(user[3]!.action).toEqual({ type: 'jump', chain: 'iptables-nft/ipv4/filter/ufw-user-limit' });
    // ufw limit: `recent --update --hitcount 6` cannot match a source's first connection.
    expect(user[3]!.uncertain).toEqual([]);
    expect(user[3]!.limits!.map((l) => l.first)).toEqual(['no-match']);
    expect(user[4]!.match.project(Dim.Dport)).toEqual(portSet(22, 22));
    const notLocal = model.chains.get('iptables-nft/ipv4/filter/ufw-not-local')!.rules;
    expect(notLocal[0]!.match.project(Dim.Dst)).toEqual(cidrsToSet(['127.0.0.0/8', '192.0.2.1/32'], 'ipv4'));
    expect(model.baseChains.find((b) => b.chain.endsWith('filter/INPUT'))!.policy).toBe('drop');
  });

  it('Docker with a published port: DNAT in nat/DOCKER, accept in filter/DOCKER', () => {
    const { model, diagnostics } = load('docker-published-port.rules', 'ipv4', context);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const dnat = model.chains.get('iptables-nft/ipv4/nat/DOCKER')!.rules[1]!;
    expect(dnat.action).toEqual({ type: 'dnat', addr: cidrsToSet(['172.17.0.2/32'], 'ipv4'), ports: portSet(80, 80) });
    expect(dnat.match.project(Dim.Dport)).toEqual(portSet(8080, 8080));
    expect(I.contains(dnat.match.project(Dim.Iif), 'docker0')).toBe(false);
    const pre = model.chains.get('iptables-nft/ipv4/nat/PREROUTING')!.rules[0]!;
    expect(pre.action).toEqual({ type: 'jump', chain: 'iptables-nft/ipv4/nat/DOCKER' });
    expect(pre.uncertain).toEqual([]);
    const withoutContext = load('docker-published-port.rules').model.chains.get('iptables-nft/ipv4/nat/PREROUTING')!.rules[0]!;
    expect(withoutContext.uncertain.map((u) => u.kind)).toEqual(['missing-data']);
  });
});

describe('kube-proxy-sized rulesets: what the lowering shares', () => {
  const lowerText = (text: string) => {
    const parsed = parseIptablesSave(text, 'kube.rules');
    return lowerIptables(parsed.value, { family: 'ipv4', backend: 'iptables-nft', context: emptyHostContext(), file: 'kube.rules' }).value;
  };
  const SEP = (n: number, proto: string) =>
    `-A KUBE-SEP-${n} -s 10.244.0.${n}/32 -m comment --comment "ns/svc-${n}:http" -j KUBE-MARK-MASQ\n` +
    `-A KUBE-SEP-${n} -p ${proto} -m comment --comment "ns/svc-${n}:http" -m ${proto} -j DNAT --to-destination 10.244.0.${n}:8080\n`;
  const text = `*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-MARK-MASQ - [0:0]\n${[1, 2, 3].map((n) => `:KUBE-SEP-${n} - [0:0]\n`).join('')}-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n${SEP(1, 'tcp')}${SEP(2, 'udp')}${SEP(3, 'tcp')}COMMIT\n`;

  it('rules with the same conditions share one match set, equal to the set each would have alone', () => {
    const model = lowerText(text);
    const dnat = (n: number) => model.chains.get(`iptables-nft/ipv4/nat/KUBE-SEP-${n}`)!.rules[1]!;
    expect(dnat(1).match).toBe(dnat(3).match);
    expect(dnat(1).match).not.toBe(dnat(2).match);
    const alone = lowerText(`*nat\n:KUBE-SEP-3 - [0:0]\n-A KUBE-SEP-3 -p tcp -m comment --comment "x" -m tcp -j DNAT --to-destination 10.244.0.3:8080\nCOMMIT\n`);
    const own = alone.chains.get('iptables-nft/ipv4/nat/KUBE-SEP-3')!.rules[0]!.match;
    expect(own).not.toBe(dnat(3).match);
    expect(dnat(3).match.cubes).toEqual(own.cubes);
    expect(dnat(2).match.project(Dim.Proto)).toEqual(I.range(17, 18));
  });

  it('keeps a commented rule\'s keys and a DNAT action\'s in the order renderers print them', () => {
    const model = lowerText(text);
    const rule = model.chains.get('iptables-nft/ipv4/nat/KUBE-SEP-2')!.rules[0]!;
    expect(Object.keys(rule)).toEqual(['position', 'text', 'origin', 'match', 'uncertain', 'action', 'comment']);
    expect(rule.comment).toBe('ns/svc-2:http');
    const dnat = (n: number) => model.chains.get(`iptables-nft/ipv4/nat/KUBE-SEP-${n}`)!.rules[1]!.action;
    expect(dnat(1)).toEqual({ type: 'dnat', addr: cidrsToSet(['10.244.0.1/32'], 'ipv4'), ports: portSet(8080, 8080) });
    expect(Object.keys(dnat(1))).toEqual(['type', 'addr', 'ports']);
    // The port text repeats: one set.
    expect((dnat(1) as { ports: unknown }).ports).toBe((dnat(3) as { ports: unknown }).ports);
  });
});

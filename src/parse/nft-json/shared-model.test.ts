import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Family } from '../../model/addr.js';
import { emptyHostContext } from '../../model/host-context.js';
import { Dim, PacketSet } from '../../model/packet-set.js';
import type { FirewallModel, Rule } from '../../model/ruleset.js';
import { DeferredRule } from './deferred-rule.js';
import { lowerNft } from './lower.js';
import { parseNftJson } from './parse.js';
import { sourceOfModelRule } from './statements.js';

// What the nft lowering shares between rules (issue 8): the model is read-only, so one object
// serves every rule that has the same value, and the shared value equals each rule's own.

const KUBE = readFileSync('test/fixtures/nft-json/kube-proxy.json', 'utf8');
const FILE = 'kube-proxy.json';

/** The kube-proxy fixture loaded as the pipeline loads it (rules read one by one), or with every rule lowered alone. */
function load(shareShapes = true, file = FILE, text = KUBE): Record<Family, FirewallModel> {
  const parsed = parseNftJson(text, file, { deferRules: { onLate: () => {} } });
  return lowerNft(parsed.value, { context: emptyHostContext(), file, shareShapes }).value;
}

const chains = (m: FirewallModel, prefix: string) => [...m.chains.values()].filter((c) => c.name.startsWith(prefix));
/** The endpoint chains' `meta l4proto tcp dnat to …` rules, in order. */
const dnatRules = (m: FirewallModel): Rule[] => chains(m, 'endpoint-').map((c) => c.rules[1]!);

describe('nft lowering: what rules share', () => {
  it('rules of one shape with no address or port of their own share one match set, equal to the set each has alone', () => {
    const shared = dnatRules(load().ipv4);
    const alone = dnatRules(load(false).ipv4);
    const tcp = shared.filter((r) => r.text.startsWith('meta l4proto tcp '));
    expect(tcp.length).toBeGreaterThan(3);
    // The first rule of a shape is lowered alone; the second makes the template the rest share.
    for (const r of tcp.slice(2)) expect(r.match).toBe(tcp[1]!.match);
    // Lowered one by one, each rule has its own set (so the line above tests the templates), of the same value.
    expect(alone[1]!.match).not.toBe(alone[0]!.match);
    shared.forEach((r, k) => expect(r.match).toEqual(alone[k]!.match));
    // Each keeps its own target.
    expect(new Set(shared.map((r) => r.action)).size).toBe(shared.length);
  });

  it('one jump or goto action per target chain and kind, equal to the one each rule would have alone', () => {
    const m = load().ipv4;
    const marks = chains(m, 'endpoint-').map((c) => c.rules[0]!.action);
    expect(marks[0]).toEqual({ type: 'jump', chain: 'nftables/ipv4/ip kube-proxy/mark-for-masquerade' });
    for (const a of marks) expect(a).toBe(marks[0]);
    const direct = chains(load(false).ipv4, 'endpoint-').map((c) => c.rules[0]!.action);
    for (const a of direct) expect(a).toBe(direct[0]);
    // A goto to the same chain is another action.
    const external = chains(m, 'external-')[0]!;
    expect(external.rules[1]!.action).toEqual({ type: 'goto', chain: `nftables/ipv4/ip kube-proxy/${external.name.replace(/^external-/, 'service-')}` });
  });

  it('a rule without a condition matches the one set of every packet', () => {
    const m = load().ipv4;
    const unconditional = chains(m, 'external-').flatMap((c) => c.rules).concat(chains(m, 'nat-').flatMap((c) => c.rules));
    expect(unconditional.length).toBeGreaterThan(3);
    for (const r of unconditional) {
      expect(r.match).toBe(unconditional[0]!.match);
      expect(r.match.isAll()).toBe(true);
    }
    expect(unconditional[0]!.match).toEqual(PacketSet.all('ipv4'));
  });

  it('one array per one-range value: DNAT ports and addresses, the endpoint address its source match names, service ports and protocols', () => {
    const m = load().ipv4;
    const endpoints = chains(m, 'endpoint-');
    const dnats = endpoints.map((c) => c.rules[1]!);
    const byPort = new Map<string, Rule[]>();
    for (const r of dnats) {
      const a = r.action as { type: 'dnat'; addr: readonly number[]; ports: readonly number[] };
      // `ip saddr <endpoint> jump mark-for-masquerade`, then `meta l4proto tcp dnat to <endpoint>:<port>`.
      expect(a.addr).toBe(endpoints[dnats.indexOf(r)]!.rules[0]!.match.cubes[0]![Dim.Src]);
      const key = a.ports.join();
      byPort.set(key, [...(byPort.get(key) ?? []), r]);
    }
    const repeated = [...byPort.values()].filter((rs) => rs.length > 1);
    expect(repeated.length).toBeGreaterThan(0);
    for (const rs of repeated) for (const r of rs) expect((r.action as { ports: unknown }).ports).toBe((rs[0]!.action as { ports: unknown }).ports);
    // `ip daddr <service> tcp dport 6379 ip saddr != 10.244.0.0/16 jump mark-for-masquerade`, in two services.
    const masq = chains(m, 'service-').map((c) => c.rules[0]!).filter((r) => / tcp dport 6379 /.test(r.text));
    expect(masq.length).toBeGreaterThan(1);
    const [a, b] = masq.map((r) => r.match.cubes[0]!);
    expect(a![Dim.Dport]).toEqual([6379, 6380]);
    expect(a![Dim.Dport]).toBe(b![Dim.Dport]);
    expect(a![Dim.Proto]).toBe(b![Dim.Proto]);
    expect(a![Dim.Dst]).not.toEqual(b![Dim.Dst]);
  });

  it('verdicts without parameters are one object each', () => {
    const text = JSON.stringify({
      nftables: [
        { table: { family: 'ip', name: 't', handle: 1 } },
        { chain: { family: 'ip', table: 't', name: 'a', handle: 2 } },
        { chain: { family: 'ip', table: 't', name: 'b', handle: 3 } },
        ...['a', 'b'].flatMap((chain, k) => [
          { rule: { family: 'ip', table: 't', chain, handle: 10 + k, expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 + k } }, { accept: null }] } },
          { rule: { family: 'ip', table: 't', chain, handle: 20 + k, expr: [{ return: null }] } },
        ]),
      ],
    });
    const m = load(true, 'f', text).ipv4;
    const [a, b] = ['a', 'b'].map((n) => m.chains.get(`nftables/ipv4/ip t/${n}`)!.rules);
    expect(a![0]!.action).toEqual({ type: 'accept' });
    expect(a![0]!.action).toBe(b![0]!.action);
    expect(a![1]!.action).toBe(b![1]!.action);
    expect(a![0]!.match).not.toEqual(b![0]!.match);
  });
});

describe('nft lowering: a deferred rule is its own source', () => {
  it('rules keep the deferred rule for their text and origin, made when read, in the order renderers print them', () => {
    const m = load().ipv4;
    const rule = chains(m, 'endpoint-')[0]!.rules[1]!;
    expect(Object.keys(rule)).toEqual(['position', 'text', 'origin', 'match', 'uncertain', 'action', 'handle']);
    const source = sourceOfModelRule(rule);
    expect(source).toBeInstanceOf(DeferredRule);
    expect(rule.origin).toEqual({ file: FILE, path: (source as DeferredRule).path });
    expect(rule.origin).toBe(rule.origin);
    expect(rule.text).toMatch(/^meta l4proto tcp dnat to 10\.244\.0\.\d+:\d+$/);
  });

  it('two lowerings of one deferred parse name their own file in their rules\' origins', () => {
    const parsed = parseNftJson(KUBE, FILE, { deferRules: { onLate: () => {} } });
    const [first, second] = ['first.json', 'second.json'].map((file) => lowerNft(parsed.value, { context: emptyHostContext(), file }).value.ipv4);
    const origins = (m: FirewallModel) => new Set([...m.chains.values()].flatMap((c) => c.rules.map((r) => r.origin.file)));
    expect(origins(first!)).toEqual(new Set(['first.json']));
    expect(origins(second!)).toEqual(new Set(['second.json']));
  });
});

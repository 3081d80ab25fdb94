import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../model/diagnostics.js';
import { emptyHostContext } from '../../model/host-context.js';
import { DeferredRule } from './deferred-rule.js';
import { lowerNft, parseNftJson } from './index.js';

const FIX = 'test/fixtures/nft-json';
const TABLE = { table: { family: 'inet', name: 'filter', handle: 1 } };
const CHAIN = { chain: { family: 'inet', table: 'filter', name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'drop' } };
const rule = (expr: unknown[], extra: Record<string, unknown> = {}) => ({ rule: { family: 'inet', table: 'filter', chain: 'input', handle: 2, expr, ...extra } });
const doc = (...items: unknown[]) => JSON.stringify({ nftables: items });
const TCP22 = { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } };

function deferred(text: string, file = 'f') {
  const late: Diagnostic[] = [];
  const parsed = parseNftJson(text, file, { deferRules: { onLate: (d) => late.push(...d) } });
  return { parsed, late };
}

describe('parseNftJson deferRules', () => {
  for (const name of readdirSync(FIX).filter((f) => f.endsWith('.json'))) {
    it(`${name}: rules read on demand lower to the same models and diagnostics as a whole parse`, () => {
      const text = readFileSync(`${FIX}/${name}`, 'utf8');
      const whole = parseNftJson(text, name);
      const { parsed, late } = deferred(text, name);
      expect(parsed.value.rules.length).toBeGreaterThan(0);
      expect(parsed.value.rules.every((r) => r instanceof DeferredRule)).toBe(true);
      expect(parsed.diagnostics).toEqual(whole.diagnostics);
      // Chains and IPv4 sets read in place, without parsing their items, read the same.
      expect(parsed.value.chains).toEqual(whole.value.chains);
      expect(parsed.value.sets).toEqual(whole.value.sets);
      const eager = lowerNft(whole.value, { context: emptyHostContext(), file: name });
      const lazy = lowerNft(parsed.value, { context: emptyHostContext(), file: name, lazy: true });
      for (const f of ['ipv4', 'ipv6'] as const) expect(new Map(lazy.value[f].chains)).toEqual(eager.value[f].chains);
      expect(lazy.diagnostics.map((d) => JSON.stringify(d)).sort()).toEqual(eager.diagnostics.map((d) => JSON.stringify(d)).sort());
      expect(late).toEqual([]);
    });

    it(`${name}: a full lowering of rules read on demand (each let go once lowered) equals one of the whole parse, texts included`, () => {
      const text = readFileSync(`${FIX}/${name}`, 'utf8');
      const eager = lowerNft(parseNftJson(text, name).value, { context: emptyHostContext(), file: name });
      const full = lowerNft(deferred(text, name).parsed.value, { context: emptyHostContext(), file: name });
      for (const f of ['ipv4', 'ipv6'] as const) {
        expect(full.value[f].chains).toEqual(eager.value[f].chains);
        const texts = (m: typeof eager) => [...m.value[f].chains.values()].flatMap((c) => c.rules.map((r) => r.text));
        expect(texts(full)).toEqual(texts(eager));
      }
      expect(full.diagnostics).toEqual(eager.diagnostics);
    });
  }

  it('rules listed in another order than their chains, or after chains without rules, group and lower as a whole parse does', () => {
    const chain = (table: string, name: string, handle: number) => ({ chain: { family: 'ip', table, name, handle } });
    const jump = (table: string, from: string, to: string, handle: number) => ({ rule: { family: 'ip', table, chain: from, handle, expr: [TCP22, { jump: { target: to } }] } });
    const base = (table: string) => ({ chain: { family: 'ip', table, name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'drop' } });
    const empties = Array.from({ length: 12 }, (_, k) => chain('t', `empty${k}`, 20 + k));
    const text = doc(
      { table: { family: 'ip', name: 't', handle: 1 } },
      { table: { family: 'ip', name: 'u', handle: 2 } },
      base('t'),
      base('u'),
      chain('t', 'b', 2),
      ...empties,
      chain('t', 'a', 3),
      chain('u', 'a', 4),
      jump('t', 'input', 'a', 5),
      jump('u', 'input', 'a', 6),
      jump('t', 'a', 'b', 7),
      jump('t', 'b', 'a', 8),
      jump('u', 'a', 'input', 9),
      jump('t', 'a', 'b', 10),
    );
    const whole = lowerNft(parseNftJson(text, 'f').value, { context: emptyHostContext(), file: 'f' });
    const full = lowerNft(deferred(text).parsed.value, { context: emptyHostContext(), file: 'f' });
    for (const f of ['ipv4', 'ipv6'] as const) expect(full.value[f].chains).toEqual(whole.value[f].chains);
    expect(full.diagnostics).toEqual(whole.diagnostics);
    expect(whole.value.ipv4.chains.get('nftables/ipv4/ip t/a')!.rules.length).toBe(2);
  });

  it('reads a regular chain item in place as the whole parse does, and any other chain whole', () => {
    const chain = (extra: Record<string, unknown>) => ({ chain: { family: 'inet', table: 'filter', name: 'c', handle: 7, ...extra } });
    const variants = [{}, { handle: 0 }, { handle: 123456789012345 }, { handle: 1.5 }, { handle: 1e3 }, { handle: -1 }, { name: 'a\\b"c' }, { comment: 'x' }, { handle: undefined }];
    for (const extra of variants) {
      const text = doc(TABLE, chain(extra)).replace(/":/g, '": ').replace(/,"/g, ', "');
      const whole = parseNftJson(text, 'f');
      const { parsed } = deferred(text);
      expect(parsed.value.chains, JSON.stringify(extra)).toEqual(whole.value.chains);
      expect(parsed.diagnostics).toEqual(whole.diagnostics);
    }
    expect(deferred(doc(TABLE, chain({}))).parsed.value.chains).toEqual([{ family: 'inet', table: 'filter', name: 'c', handle: 7, path: '$.nftables[1].chain' }]);
  });

  it('parses a rule only when it is asked for', () => {
    const { parsed } = deferred(doc(TABLE, CHAIN, rule([TCP22, { accept: null }], { comment: 'ssh' })));
    const r = parsed.value.rules[0] as DeferredRule;
    expect(r).toMatchObject({ family: 'inet', table: 'filter', chain: 'input', path: '$.nftables[2].rule', mayFillSets: false });
    expect(r.handle).toBe(2);
    expect(r.expr).toEqual([TCP22, { accept: null }]);
    expect(r.comment).toBe('ssh');
    // Let go, then asked again: parsed again, the same.
    const first = r.expr;
    r.forget();
    expect(r.expr).not.toBe(first);
    expect(r.expr).toEqual(first);
  });

  it('reports a malformed rule when it is read, and leaves it out of its chain as a whole parse does', () => {
    const text = doc(TABLE, CHAIN, rule('not a list' as unknown as unknown[]), rule([TCP22, { accept: null }]));
    const whole = parseNftJson(text, 'f');
    const { parsed, late } = deferred(text);
    expect(whole.diagnostics.map((d) => d.code)).toEqual(['parse.nft-json.shape']);
    expect(parsed.diagnostics).toEqual([]);
    const lowered = lowerNft(parsed.value, { context: emptyHostContext(), file: 'f', lazy: true });
    const chain = lowered.value.ipv4.chains.get('nftables/ipv4/inet filter/input')!;
    expect(late).toEqual(whole.diagnostics);
    const eager = lowerNft(whole.value, { context: emptyHostContext(), file: 'f' });
    expect(chain).toEqual(eager.value.ipv4.chains.get('nftables/ipv4/inet filter/input'));
    expect(chain.rules.map((r) => r.position)).toEqual([1]);
  });

  it('refuses a rule that names its chain twice (a whole parse would keep the last name)', () => {
    const text = doc(TABLE, CHAIN, { chain: { ...CHAIN.chain, name: 'other', hook: undefined } }).replace(
      ']}',
      ',{"rule": {"family": "inet", "table": "filter", "chain": "input", "chain": "other", "expr": [{"accept": null}]}}]}',
    );
    const { parsed, late } = deferred(text);
    expect((parsed.value.rules[0] as DeferredRule).read()).toBeNull();
    expect(late.map((d) => [d.code, d.severity, d.location?.path])).toEqual([['parse.nft-json.shape', 'error', '$.nftables[3].rule']]);
  });

  it('finds the sets rules fill at runtime, parsing only the rules whose text may say so', () => {
    const set = { set: { family: 'inet', table: 'filter', name: 'seen', type: 'ipv4_addr', flags: ['dynamic'], elem: ['192.0.2.1'] } };
    const saddr = { payload: { protocol: 'ip', field: 'saddr' } };
    const text = doc(TABLE, CHAIN, set, rule([{ match: { op: '==', left: saddr, right: '@seen' } }, { drop: null }]), rule([{ set: { op: 'add', elem: saddr, set: '@seen' } }]));
    const { parsed } = deferred(text);
    expect(parsed.value.rules.map((r) => (r as DeferredRule).mayFillSets)).toEqual([false, true]);
    const lowered = lowerNft(parsed.value, { context: emptyHostContext(), file: 'f', lazy: true });
    const drop = lowered.value.ipv4.chains.get('nftables/ipv4/inet filter/input')!.rules[0]!;
    expect(drop.uncertain.map((u) => u.kind)).toEqual(['missing-data']);
    // The same with the statement's name escaped: found all the same.
    const escaped = deferred(text.replace('"add"', '"\\u0061dd"')).parsed;
    expect(escaped.value.rules.map((r) => (r as DeferredRule).mayFillSets)).toEqual([false, true]);
    const again = lowerNft(escaped.value, { context: emptyHostContext(), file: 'f', lazy: true });
    expect(again.value.ipv4.chains.get('nftables/ipv4/inet filter/input')!.rules[0]!.uncertain.map((u) => u.kind)).toEqual(['missing-data']);
  });

  it('reads the whole text, as without the option, when it is not JSON or not in the shape nft prints', () => {
    for (const text of [doc(TABLE, CHAIN, rule([{ accept: null }])).slice(0, -5), JSON.stringify({ other: 1, nftables: [TABLE] })]) {
      const { parsed } = deferred(text);
      expect(parsed).toEqual(parseNftJson(text, 'f'));
    }
  });
});

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyHostContext } from '../../model/host-context.js';
import type { Family } from '../../model/addr.js';
import type { Rule } from '../../model/ruleset.js';
import { DeferredRule, type ReadRule } from './deferred-rule.js';
import { lowerNft } from './lower.js';
import { parseNftJson } from './parse.js';
import { shapeKey } from './rule-template.js';
import type { Json } from './types.js';

const FIX = 'test/fixtures/nft-json';
const CORPUS = resolve('../shared/fixtures/real-world/nft-json');

/** Every nft dump at hand: the fixtures (kube-proxy.json among them) and the real-world corpus when present. */
function dumps(): [string, string][] {
  const out: [string, string][] = readdirSync(FIX)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, readFileSync(`${FIX}/${f}`, 'utf8')]);
  if (existsSync(CORPUS)) for (const f of readdirSync(CORPUS).filter((n) => n.endsWith('.json'))) out.push([f, readFileSync(`${CORPUS}/${f}`, 'utf8')]);
  return out;
}

/** A model as plain data: every chain with its rules' enumerable fields (text read through its getter). */
function plain(text: string, file: string, shareShapes: boolean, deferred: boolean) {
  const parsed = parseNftJson(text, file, deferred ? { deferRules: { onLate: () => {} } } : {});
  const lowered = lowerNft(parsed.value, { context: emptyHostContext(), file, shareShapes });
  const families = (['ipv4', 'ipv6'] as Family[]).map((f) => ({
    baseChains: lowered.value[f].baseChains,
    chains: [...lowered.value[f].chains].map(([id, c]) => ({ ...c, id, rules: c.rules.map((r: Rule) => ({ ...r })) })),
  }));
  return { families, diagnostics: lowered.diagnostics };
}

describe('rules lowered from their shape equal rules lowered one by one', () => {
  for (const [file, text] of dumps()) {
    for (const deferred of [false, true]) {
      it(`${file}${deferred ? ' (deferred parse)' : ''}`, () => {
        expect(plain(text, file, true, deferred)).toStrictEqual(plain(text, file, false, deferred));
      });
    }
  }

  it('the kube-proxy fixture is made from templates (the test above compares something)', () => {
    const text = readFileSync(`${FIX}/kube-proxy.json`, 'utf8');
    const rules = (JSON.parse(text) as { nftables: { rule?: { expr: Json[] } }[] }).nftables.flatMap((i) => (i.rule ? [i.rule.expr] : []));
    const shapes = new Map<string, number>();
    for (const expr of rules) {
      const key = shapeKey(expr, []);
      if (key !== null) shapes.set(key, (shapes.get(key) ?? 0) + 1);
    }
    // Endpoint rules (saddr, dnat), service rules (daddr dport, numgen maps of 1, 2 and 3) and external chains repeat.
    const repeated = [...shapes.values()].filter((n) => n > 1);
    expect(repeated.length).toBeGreaterThanOrEqual(6);
    expect(repeated.reduce((a, b) => a + b, 0)).toBeGreaterThan(rules.length * 0.9);
  });

  it('a deferred load of the kube-proxy fixture makes most rules from their text, never parsing them (the deferred comparison above covers that path)', () => {
    const text = readFileSync(`${FIX}/kube-proxy.json`, 'utf8');
    const parsed = parseNftJson(text, 'kube-proxy.json', { deferRules: { onLate: () => {} } });
    const dump = (parsed.value.rules[0] as DeferredRule).dump as { read: ReadRule };
    const read = dump.read;
    let reads = 0;
    dump.read = (rule) => {
      reads++;
      return read(rule);
    };
    lowerNft(parsed.value, { context: emptyHostContext(), file: 'kube-proxy.json' });
    expect(parsed.value.rules.length).toBeGreaterThan(100);
    expect(reads).toBeLessThan(parsed.value.rules.length * 0.3);
  });
});

describe('rules that differ in an address prefix', () => {
  const text = readFileSync(`${FIX}/prefix-allowlist.json`, 'utf8');
  const exprs = (JSON.parse(text) as { nftables: { rule?: { expr: Json[] } }[] }).nftables.flatMap((i) => (i.rule ? [i.rule.expr] : []));

  it('share one shape: the prefix compared with == is a hole, != keeps it in the shape', () => {
    const [allowA, allowB] = exprs.filter((e) => JSON.stringify(e).includes('"field":"dport"}},"right":22}'));
    expect(shapeKey(allowA!, [])).toBe(shapeKey(allowB!, []));
    expect(JSON.stringify(allowA)).not.toBe(JSON.stringify(allowB));
    const [notA, notB] = exprs.filter((e) => JSON.stringify(e).includes('"op":"!="'));
    expect(shapeKey(notA!, [])).not.toBe(shapeKey(notB!, []));
  });

  it('a deferred load makes them from their text: the rules of a shape from the third on are never parsed', () => {
    const parsed = parseNftJson(text, 'prefix-allowlist.json', { deferRules: { onLate: () => {} } });
    const dump = (parsed.value.rules[0] as DeferredRule).dump as { read: ReadRule };
    const read = dump.read;
    const reads: string[] = [];
    dump.read = (rule) => {
      const r = read(rule);
      reads.push(JSON.stringify(r?.expr));
      return r;
    };
    lowerNft(parsed.value, { context: emptyHostContext(), file: 'prefix-allowlist.json' });
    expect(parsed.value.rules.length).toBe(exprs.length);
    // The first rule of a shape is lowered alone, the second makes its template, the third on are tied to it by their text.
    expect(reads.some((r) => r.includes('"addr":"198.51.100.128","len":25'))).toBe(true);
    for (const third of ['"addr":"192.0.2.0","len":28', '"addr":"192.168.0.0","len":16', '"addr":"192.0.2.64","len":26']) {
      expect(reads.filter((r) => r.includes(third))).toEqual([]);
    }
  });
});

describe('shapeKey', () => {
  const endpoint = (addr: string, target: string): Json[] => [
    { match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: addr } },
    { jump: { target } },
  ];

  it('leaves out the constants of address matches and verdict targets', () => {
    const holes: number[] = [];
    expect(shapeKey(endpoint('10.0.0.1', 'a'), holes)).toBe(shapeKey(endpoint('10.0.0.2', 'b'), []));
    expect(holes).toEqual([0]);
  });

  it('keeps what decides the lowering: operator, field, named sets, other statements', () => {
    const base = shapeKey(endpoint('10.0.0.1', 'a'), []);
    const ne: Json[] = [{ match: { op: '!=', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: '10.0.0.1' } }, { jump: { target: 'a' } }];
    const daddr: Json[] = [{ match: { op: '==', left: { payload: { protocol: 'ip', field: 'daddr' } }, right: '10.0.0.1' } }, { jump: { target: 'a' } }];
    const named: Json[] = [{ match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: '@s' } }, { jump: { target: 'a' } }];
    const goto: Json[] = [endpoint('10.0.0.1', 'a')[0]!, { goto: { target: 'a' } }];
    for (const other of [ne, daddr, named, goto]) expect(shapeKey(other, [])).not.toBe(base);
  });
});

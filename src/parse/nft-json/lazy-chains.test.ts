import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyHostContext } from '../../model/host-context.js';
import type { Chain } from '../../model/ruleset.js';
import { LazyChains } from './lazy-chains.js';
import { lowerNft, parseNftJson } from './index.js';

function fakeChain(id: string, position = 1): Chain {
  return { id, backend: 'nftables', family: 'ipv4', table: 'ip t', tableFamily: 'ip', name: id, rules: [], origin: { file: 'x', path: `$.${id}.${position}` } };
}

describe('LazyChains', () => {
  const setup = () => {
    const lowered: string[] = [];
    const map = new LazyChains();
    for (const id of ['a', 'b', 'c']) map.later(id, () => (lowered.push(id), fakeChain(id)));
    return { map, lowered };
  };

  it('lowers a chain when it is first read, once, and no other', () => {
    const { map, lowered } = setup();
    expect(map.has('b')).toBe(true);
    expect(map.has('z')).toBe(false);
    expect(lowered).toEqual([]);
    expect(map.get('b')?.id).toBe('b');
    expect(map.get('b')?.id).toBe('b');
    expect(map.get('z')).toBeUndefined();
    expect(lowered).toEqual(['b']);
  });

  it('lowers the rest before anything looks at every chain, in registration order', () => {
    const { map, lowered } = setup();
    map.get('c');
    expect([...map.keys()]).toEqual(['a', 'b', 'c']);
    expect(lowered).toEqual(['c', 'a', 'b']);
    expect(map.size).toBe(3);
    expect([...map.values()].map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(lowered).toHaveLength(3);
  });

  it('sizes, copies and iterates like the eager map', () => {
    expect(setup().map.size).toBe(3);
    expect([...setup().map].map(([id]) => id)).toEqual(['a', 'b', 'c']);
    expect(new Map(setup().map).size).toBe(3);
    const seen: string[] = [];
    setup().map.forEach((_c, id) => seen.push(id));
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('keeps the later of two chains with one id, and lowers both', () => {
    const lowered: number[] = [];
    const map = new LazyChains();
    map.later('a', () => (lowered.push(1), fakeChain('a', 1)));
    map.later('a', () => (lowered.push(2), fakeChain('a', 2)));
    expect(map.get('a')?.origin.path).toBe('$.a.2');
    expect(lowered).toEqual([1, 2]);
  });

  it('finds the chains of a table by prefix and name, and lowers every table an id meets, the later kept', () => {
    const lowered: string[] = [];
    const table = (prefix: string, names: string[]) => ({
      prefix,
      names,
      has: (name: string) => names.includes(name),
      lower: (name: string) => (lowered.push(prefix + '|' + name), fakeChain(prefix + name, lowered.length)),
    });
    const map = new LazyChains();
    // "t/" + "x/c" and "t/x/" + "c" are one id, as two tables of nft may spell it.
    map.laterTable(table('t/', ['a', 'x/c']));
    map.laterTable(table('t/x/', ['c', 'd']));
    expect(map.pendingCount).toBe(3);
    expect(map.pendingIds()).toEqual(['t/a', 't/x/c', 't/x/d']);
    expect(map.has('t/x/c')).toBe(true);
    expect(map.has('t/b')).toBe(false);
    expect(map.get('t/x/c')?.origin.path).toBe('$.t/x/c.2');
    expect(lowered).toEqual(['t/|x/c', 't/x/|c']);
    expect(map.isPending('t/x/c')).toBe(false);
    expect(map.isPending('t/x/d')).toBe(true);
    expect(map.pendingCount).toBe(2);
    expect([...map.loweredValues()].map((c) => c.id)).toEqual(['t/x/c']);
    expect([...map.keys()]).toEqual(['t/a', 't/x/c', 't/x/d']);
    expect(lowered).toEqual(['t/|x/c', 't/x/|c', 't/|a', 't/x/|d']);
    expect(map.pendingCount).toBe(0);
  });

  it('refuses a registration once lowering has begun', () => {
    const { map } = setup();
    map.get('a');
    expect(() => map.later('a', () => fakeChain('a'))).toThrow(TypeError);
    map.lowerAll();
    expect(() => map.later('d', () => fakeChain('d'))).toThrow(TypeError);
  });
});

const sortJson = (xs: readonly unknown[]) => xs.map((x) => JSON.stringify(x)).sort();

describe('lowerNft lazy', () => {
  it('reads a chain listed twice, rules apart from their chain and tables whose ids meet as eager lowering does', () => {
    const T = (name: string) => ({ table: { family: 'ip', name, handle: 1 } });
    const C = (table: string, name: string, extra = {}) => ({ chain: { family: 'ip', table, name, handle: 2, ...extra } });
    const R = (table: string, chain: string, expr: unknown[]) => ({ rule: { family: 'ip', table, chain, handle: 3, expr } });
    const text = JSON.stringify({
      nftables: [
        T('t'),
        T('t/x'),
        C('t', 'input', { type: 'filter', hook: 'input', prio: 0, policy: 'drop' }),
        C('t', 'x/c'),
        C('t', 'input', { type: 'filter', hook: 'input', prio: 0, policy: 'accept' }),
        C('t/x', 'c'),
        R('t', 'input', [{ jump: { target: 'x/c' } }]),
        R('t', 'x/c', [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } }, { accept: null }]),
        R('t', 'input', [{ limit: { rate: 1, per: 'second' } }, { drop: null }]),
        R('t/x', 'c', [{ drop: null }]),
      ],
    });
    for (const options of [{}, { deferRules: { onLate: () => {} } }]) {
      const parsed = parseNftJson(text, 'f', options);
      expect(parsed.diagnostics).toEqual([]);
      const eager = lowerNft(parsed.value, { context: emptyHostContext(), file: 'f' });
      const lazy = lowerNft(parsed.value, { context: emptyHostContext(), file: 'f', lazy: true });
      const input = eager.value.ipv4.baseChains[0]!.chain;
      expect(eager.value.ipv4.chains.get(input)!.rules.map((r) => r.position)).toEqual([1, 2]);
      expect(lazy.value.ipv4.chains.get(input)).toEqual(eager.value.ipv4.chains.get(input));
      expect(lazy.value.ipv4.chains.get('nftables/ipv4/ip t/x/c')).toEqual(eager.value.ipv4.chains.get('nftables/ipv4/ip t/x/c'));
      expect(eager.value.ipv4.chains.get('nftables/ipv4/ip t/x/c')!.table).toBe('ip t/x');
      expect(lazy.value.ipv4.baseChains).toEqual(eager.value.ipv4.baseChains);
      expect([...lazy.value.ipv4.chains.keys()]).toEqual([...eager.value.ipv4.chains.keys()]);
      expect(new Map(lazy.value.ipv4.chains)).toEqual(eager.value.ipv4.chains);
      expect(sortJson(lazy.diagnostics)).toEqual(sortJson(eager.diagnostics));
    }
  });

  const FIX = 'test/fixtures/nft-json';
  for (const name of readdirSync(FIX).filter((f) => f.endsWith('.json'))) {
    it(`${name}: the same models, and once every chain is read the same diagnostics, as eager lowering`, () => {
      const parsed = parseNftJson(readFileSync(`${FIX}/${name}`, 'utf8'), name);
      const eager = lowerNft(parsed.value, { context: emptyHostContext(), file: name });
      const lazy = lowerNft(parsed.value, { context: emptyHostContext(), file: name, lazy: true });
      for (const f of ['ipv4', 'ipv6'] as const) {
        expect(lazy.value[f].chains).toBeInstanceOf(LazyChains);
        expect(lazy.value[f].baseChains).toEqual(eager.value[f].baseChains);
        const first = eager.value[f].baseChains[0];
        // A walk starts at a base chain: reading it first must not change what it holds.
        if (first) expect(lazy.value[f].chains.get(first.chain)).toEqual(eager.value[f].chains.get(first.chain));
        expect([...lazy.value[f].chains.keys()]).toEqual([...eager.value[f].chains.keys()]);
        expect(new Map(lazy.value[f].chains)).toEqual(eager.value[f].chains);
      }
      expect(sortJson(lazy.diagnostics)).toEqual(sortJson(eager.diagnostics));
    });
  }
});

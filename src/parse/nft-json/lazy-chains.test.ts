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

  it('refuses a registration once lowering has begun', () => {
    const { map } = setup();
    map.get('a');
    expect(() => map.later('a', () => fakeChain('a'))).toThrow(TypeError);
    map.lowerAll();
    expect(() => map.later('d', () => fakeChain('d'))).toThrow(TypeError);
  });
});

describe('lowerNft lazy', () => {
  const FIX = 'test/fixtures/nft-json';
  const sortJson = (xs: readonly unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
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

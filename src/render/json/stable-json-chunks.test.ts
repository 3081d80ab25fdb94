import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { stableJsonChunks, stableJsonEach } from './stable-json-chunks.js';
import { stableStringify } from './stable-json.js';

describe('stableJsonChunks', () => {
  it('writes the bytes stableStringify writes, whatever the piece size, for any JSON-like value', () => {
    const value = fc.anything({ withBoxedValues: true, withNullPrototype: true, withSparseArray: true, withObjectString: true, maxDepth: 4 });
    fc.assert(
      fc.property(value, fc.constantFrom(0, 2, 4), fc.integer({ min: 1, max: 200 }), (v, indent, size) => {
        if (v === undefined || typeof v === 'symbol' || typeof v === 'function') return true;
        return stableJsonChunks(v, indent, '\n', size).join('') === stableStringify(v, indent) + '\n';
      }),
      { numRuns: 2000 },
    );
  });

  it('orders index keys numerically first, drops what JSON drops, escapes what a terminal acts on', () => {
    const odd = { b: 1, 10: 'ten', a: [undefined, () => 1, Symbol('s'), Number.NaN, -0], 2: 'two', u: undefined, '01': 'x', t: 'a\u202eb\u2028 – …', '4294967295': 'named', ['__proto__']: 5, d: new Date(0) };
    expect(stableJsonChunks(odd, 2, '', 8).join('')).toBe(stableStringify(odd, 2));
    expect(stableJsonChunks(odd, 0).join('')).toBe('{"2":"two","10":"ten","01":"x","4294967295":"named","a":[null,null,null,null,0],"b":1,"d":{},"t":"a\\u202eb\\u2028 – …"}');
  });

  it('ends a piece only between tokens: every piece is valid on its own encoding', () => {
    const value = { list: Array.from({ length: 500 }, (_, i) => ({ name: `svc ${i} 😀`, port: i })) };
    const chunks = stableJsonChunks(value, 2, '\n', 256);
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks) expect(Buffer.from(c, 'utf8').toString('utf8')).toBe(c);
    expect(chunks.join('')).toBe(stableStringify(value, 2) + '\n');
  });

  it('sorts the keys of small and large objects alike (in place up to 16 keys, by Array.prototype.sort above)', () => {
    const names = fc.uniqueArray(fc.string({ maxLength: 6, unit: 'binary' }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(names, (keys) => {
        const value = { nested: [Object.fromEntries(keys.map((k, i) => [k, i]))] };
        return stableJsonChunks(value, 2, '', 64).join('') === stableStringify(value, 2);
      }),
      { numRuns: 1000 },
    );
  });

  it('orders each key list as its own, when lists met one after another share a first key or a length', () => {
    // The writer remembers the last list per first key (issue 8): any other list must be sorted afresh.
    const list = [{ b: 1, a: 2 }, { b: 1, c: 2 }, { b: 1, a: 2, c: 3 }, { b: 1, 7: 2, a: 3 }, { b: 1, a: 2 }, { b: 1, c: 2, a: 3 }, { b: 1, a: 2, c: 3 }, {}, { b: 1 }];
    expect(stableJsonChunks(list, 0).join('')).toBe(stableStringify(list, 0));
    expect(stableJsonChunks(list, 0).join('')).toBe('[{"a":2,"b":1},{"b":1,"c":2},{"a":2,"b":1,"c":3},{"7":2,"a":3,"b":1},{"a":2,"b":1},{"a":3,"b":1,"c":2},{"a":2,"b":1,"c":3},{},{"b":1}]');
  });

  it('stableJsonEach hands over the same pieces, one at a time', () => {
    const value = { list: Array.from({ length: 300 }, (_, i) => ({ name: `svc ${i} – \u202e`, port: i })) };
    const handed: string[] = [];
    stableJsonEach(value, (piece) => handed.push(piece), 2, '\n', 128);
    expect(handed.length).toBeGreaterThan(10);
    expect(handed).toEqual(stableJsonChunks(value, 2, '\n', 128));
    const none: string[] = [];
    stableJsonEach([], (piece) => none.push(piece));
    expect(none).toEqual(['[]']);
  });

  it('writes a long list met again (by identity, at any depth) as it writes it the first time', () => {
    const item = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('\u202e', '\u2028', '"', '😀', '198.51.100.0/24'));
    const list = fc.array(item, { minLength: 64, maxLength: 150 });
    fc.assert(
      fc.property(list, fc.boolean(), fc.integer({ min: 1, max: 300 }), fc.constantFrom(0, 2), (shared, mixed, size, indent) => {
        const other = mixed ? [...shared.slice(0, 63), 7, ...shared.slice(63)] : [...shared];
        const value = { a: shared, b: [{ s: shared, o: other }, shared], c: { d: { e: shared, f: other } }, g: [shared, shared] };
        return stableJsonChunks(value, indent, '\n', size).join('') === stableStringify(value, indent) + '\n';
      }),
      { numRuns: 300 },
    );
  });

  it('formats a long list of strings met again once, not item by item each time', () => {
    const shared = Array.from({ length: 200 }, (_, i) => `203.0.113.${i}/32`);
    const value = { services: Array.from({ length: 10 }, (_, port) => ({ port, sources: shared })) };
    const expected = stableStringify(value, 2) + '\n';
    const spy = vi.spyOn(JSON, 'stringify');
    try {
      expect(stableJsonChunks(value, 2, '\n').join('')).toBe(expected);
      // Written item by item the first time, built once more when met again, then reused:
      // 400 item texts, where ten writings make 2,000.
      const items = spy.mock.calls.filter(([v]) => typeof v === 'string' && v.startsWith('203.0.113.')).length;
      expect(items).toBe(400);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses BigInt as JSON.stringify does', () => {
    expect(() => stableJsonChunks({ n: 1n })).toThrow(TypeError);
    expect(() => stableStringify({ n: 1n })).toThrow(TypeError);
  });
});

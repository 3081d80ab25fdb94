import { describe, expect, it } from 'vitest';
import { type TextShape, samePieces, shapePieces, textShape } from './rule-text-shape.js';

/** A rule item as nft prints it (a space after each colon and comma). */
function item(expr: unknown[], extra = ''): string {
  const body = JSON.stringify({ family: 'ip', table: 'kube-proxy', chain: 'service-X', handle: 20206 }).slice(0, -1);
  return `{"rule": ${body}${extra}, "expr": ${JSON.stringify(expr)}}}`.replace(/":/g, '": ').replace(/,"/g, ', "');
}

function shapeOf(text: string): TextShape | null {
  const s = textShape(text, 0, text.length);
  // One object serves every scan: copy what the test reads.
  return s === null ? null : { ...s, pieces: [...s.pieces], matches: [...s.matches], rights: [...s.rights], targets: [...s.targets] };
}

const P = (protocol: string, field: string) => ({ payload: { protocol, field } });
const serviceRule = (ip: string, port: number | string, target: string) => [
  { match: { op: '==', left: P('ip', 'daddr'), right: ip } },
  { match: { op: '==', left: P('tcp', 'dport'), right: port } },
  { match: { op: '!=', left: P('ip', 'saddr'), right: { prefix: { addr: '10.244.0.0', len: 16 } } } },
  { jump: { target } },
];

describe('a rule shape read from its text', () => {
  it('cuts the hole constants: address and port matches, the verdict target; keeps the rest whole', () => {
    const s = shapeOf(item(serviceRule('10.96.0.10', 53, 'mark-for-masquerade')))!;
    expect(s.handle).toBe(20206);
    expect(s.count).toBe(4);
    expect(s.matches).toEqual([0, 1]);
    expect(s.rights).toEqual(['10.96.0.10', 53]);
    expect(s.terminal).toBe('verdict');
    expect(s.targets).toEqual(['mark-for-masquerade']);
    expect(shapePieces(s).join('|')).not.toContain('10.96.0.10');
    expect(shapePieces(s).join('|')).toContain('10.244.0.0');
  });

  it('cuts an address prefix compared with == as a hole, spaced as JSON allows', () => {
    const rule = (addr: string, len: number) => [{ match: { op: '==', left: P('ip', 'saddr'), right: { prefix: { addr, len } } } }, { match: { op: '==', left: P('tcp', 'dport'), right: 22 } }, { accept: null }];
    const a = shapeOf(item(rule('198.51.100.0', 24)))!;
    expect(a.matches).toEqual([0, 1]);
    expect(a.rights).toEqual([{ prefix: { addr: '198.51.100.0', len: 24 } }, 22]);
    const b = shapeOf(item(rule('10.0.0.0', 8)))!;
    expect(samePieces(b, shapePieces(a))).toBe(true);
    const tight = JSON.stringify({ rule: { family: 'inet', table: 't', chain: 'c', handle: 4, expr: rule('10.0.0.0', 8) } });
    expect(shapeOf(tight)!.rights).toEqual([{ prefix: { addr: '10.0.0.0', len: 8 } }, 22]);
  });

  it('keeps in the pieces a prefix it does not read as a hole: members in another order, an escape, a set reference', () => {
    const odd = (right: unknown) => shapeOf(item([{ match: { op: '==', left: P('ip', 'saddr'), right } }, { accept: null }]))!;
    expect(odd({ prefix: { len: 8, addr: '10.0.0.0' } }).matches).toEqual([]);
    expect(odd({ prefix: { addr: '10.0.0.\\u0030', len: 8 } }).matches).toEqual([]);
    expect(odd({ prefix: { addr: '@set', len: 8 } }).matches).toEqual([]);
    expect(odd({ prefix: { addr: '10.0.0.0', len: 8, x: 1 } }).matches).toEqual([]);
  });

  it('hashes the pieces by their text: constants kept in the pieces (a prefix) of equal length hash apart', () => {
    const hash = (rule: unknown[]): number => shapeOf(item(rule))!.hash;
    const fromPrefix = (addr: string) => [{ match: { op: '!=', left: P('ip', 'saddr'), right: { prefix: { addr, len: 16 } } } }, { accept: null }];
    expect(hash(serviceRule('10.96.0.10', 53, 'x'))).toBe(hash(serviceRule('10.96.7.77', 8080, 'y')));
    // Same lengths everywhere, other text: a hash of lengths put them in one bucket.
    expect(hash(fromPrefix('10.244.0.0'))).not.toBe(hash(fromPrefix('10.245.0.0')));
    expect(hash(fromPrefix('10.244.0.0'))).toBe(hash(fromPrefix('10.244.0.0')));
  });

  it('gives two rules of one shape the same pieces, and rules of another statement other pieces', () => {
    const pieces = (text: string): string[] => shapePieces(textShape(text, 0, text.length)!);
    const same = (a: string, b: string): boolean => {
      const kept = pieces(a);
      // The next scan reuses the shape object: the first's pieces are kept as strings first.
      return samePieces(textShape(b, 0, b.length)!, kept);
    };
    const one = item(serviceRule('10.96.0.10', 53, 'a'));
    expect(same(one, item(serviceRule('10.96.0.11', '8080', 'other-chain')))).toBe(true);
    const other = item([...serviceRule('10.96.0.11', 53, 'a').slice(0, 2), { match: { op: '!=', left: P('ip', 'saddr'), right: { prefix: { addr: '10.245.0.0', len: 16 } } } }, { jump: { target: 'a' } }]);
    expect(same(one, other)).toBe(false);
    expect(same(one, item(serviceRule('10.96.0.10', 53, 'a').slice(1)))).toBe(false);
  });

  it('reads numgen verdict maps and dnat, cutting each target', () => {
    const vmap = shapeOf(item([{ vmap: { key: { numgen: { mode: 'random', mod: 2, offset: 0 } }, data: { set: [[0, { goto: { target: 'endpoint-A' } }], [1, { goto: { target: 'endpoint-B' } }]] } } }]))!;
    expect(vmap.terminal).toBe('vmap');
    expect(vmap.targets).toEqual(['endpoint-A', 'endpoint-B']);
    const dnat = shapeOf(item([{ match: { op: '==', left: { meta: { key: 'l4proto' } }, right: 'tcp' } }, { dnat: { addr: '10.244.0.2', port: 6379 } }]))!;
    expect(dnat.terminal).toBe('dnat');
    expect(dnat.matches).toEqual([]);
    expect(dnat.targets).toEqual(['10.244.0.2', 6379]);
    expect(shapeOf(item([{ dnat: { addr: '10.244.0.2' } }]))!.targets).toEqual(['10.244.0.2', undefined]);
  });

  it('keeps in the pieces what is not a hole in nft\'s form: a set reference, an escape, another operator', () => {
    for (const right of ['@cluster-ips', 'a\\"b']) {
      const s = shapeOf(item([{ match: { op: '==', left: P('ip', 'daddr'), right } }, { accept: null }]))!;
      expect(s.matches).toEqual([]);
      expect(s.terminal).toBe('fixed');
    }
    expect(shapeOf(item([{ match: { op: '!=', left: P('ip', 'daddr'), right: '10.0.0.1' } }, { accept: null }]))!.matches).toEqual([]);
  });

  it('steps over a whole statement whose strings hold quotes, backslashes and brackets', () => {
    const s = shapeOf(item([{ match: { op: '==', left: { meta: { key: 'iifname' } }, right: 'a"]}\\' } }, { match: { op: '==', left: P('ip', 'saddr'), right: '10.0.0.1' } }, { accept: null }]))!;
    expect(s.count).toBe(3);
    expect(s.matches).toEqual([1]);
    expect(s.rights).toEqual(['10.0.0.1']);
  });

  it('answers null (the rule is parsed) for a comment, a verdict before the last statement, no statement, or text past the item', () => {
    expect(shapeOf(item([{ accept: null }], ', "comment": "x"'))).toBeNull();
    expect(shapeOf(item([{ jump: { target: 'a' } }, { accept: null }]))).toBeNull();
    expect(shapeOf(item([]))).toBeNull();
    const text = item([{ accept: null }]);
    expect(textShape(text + ' ', 0, text.length)).toBeNull();
    expect(shapeOf(item([{ accept: null }]))).not.toBeNull();
  });

  it('reads the form without spaces (JSON.stringify) too', () => {
    const text = JSON.stringify({ rule: { family: 'ip', table: 't', chain: 'c', handle: 7, expr: serviceRule('10.0.0.1', 80, 'x') } });
    const s = shapeOf(text)!;
    expect(s.handle).toBe(7);
    expect(s.rights).toEqual(['10.0.0.1', 80]);
  });
});

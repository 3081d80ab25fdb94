import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyHostContext } from '../../model/host-context.js';
import { lowerNft, parseNftJson } from './index.js';

const FIX = 'test/fixtures/nft-json';
const fixtures = readdirSync(FIX)
  .filter((f) => f.endsWith('.json'))
  .map((f) => readFileSync(`${FIX}/${f}`, 'utf8'));

/** Parse and lower; the property is simply that nothing throws and errors carry a location. */
function run(text: string): void {
  const p = parseNftJson(text, 'fuzz.json');
  for (const d of p.diagnostics) if (d.severity === 'error') expect(d.location).toBeDefined();
  lowerNft(p.value, { context: emptyHostContext(), file: 'fuzz.json' });
}

/** Replace one random node of a JSON tree by another value. */
function mutate(doc: unknown, pick: number, replacement: unknown): unknown {
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (n++ === pick) return replacement;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(doc);
}

describe('nft JSON never crashes the parser or the lowering', () => {
  it('random JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => run(JSON.stringify({ nftables: Array.isArray(v) ? v : [v] }))), { numRuns: 300 });
    fc.assert(fc.property(fc.string(), (s) => run(s)), { numRuns: 300 });
  });

  it('random statements inside a valid rule', () => {
    const stmt = fc.oneof(
      fc.jsonValue(),
      fc.record({ match: fc.record({ op: fc.constantFrom('==', '!=', '<', '>=', 'in', '&'), left: fc.jsonValue(), right: fc.jsonValue() }) }),
      fc.dictionary(fc.constantFrom('accept', 'jump', 'vmap', 'dnat', 'reject', 'set', 'xt', 'limit', 'mangle', 'redirect', 'queue'), fc.jsonValue(), { minKeys: 1, maxKeys: 1 }),
    );
    fc.assert(
      fc.property(fc.array(stmt, { maxLength: 6 }), (expr) =>
        run(
          JSON.stringify({
            nftables: [
              { table: { family: 'inet', name: 't' } },
              { chain: { family: 'inet', table: 't', name: 'c', type: 'filter', hook: 'input', prio: 0 } },
              { set: { family: 'inet', table: 't', name: 's', type: 'ipv4_addr', elem: ['192.0.2.1'] } },
              { rule: { family: 'inet', table: 't', chain: 'c', expr } },
            ],
          }),
        ),
      ),
      { numRuns: 500 },
    );
  });

  it('mutated real dumps', () => {
    fc.assert(
      fc.property(fc.nat(fixtures.length - 1), fc.nat(5000), fc.jsonValue(), (k, pick, replacement) => {
        run(JSON.stringify(mutate(JSON.parse(fixtures[k]!), pick, replacement)));
      }),
      { numRuns: 500 },
    );
  });

  it('truncated real dumps', () => {
    fc.assert(
      fc.property(fc.nat(fixtures.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), (k, at) => {
        const text = fixtures[k]!;
        const cut = text.slice(0, Math.floor(text.length * at));
        const p = parseNftJson(cut, 'cut.json');
        if (cut.trim().length > 0 && cut.trim() !== text.trim()) expect(p.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        lowerNft(p.value, { context: emptyHostContext(), file: 'cut.json' });
      }),
      { numRuns: 300 },
    );
  });
});

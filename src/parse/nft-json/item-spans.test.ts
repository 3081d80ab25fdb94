import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itemSpans } from './item-spans.js';

const FIX = 'test/fixtures/nft-json';

function items(text: string, spans: readonly number[]): unknown[] {
  const out: unknown[] = [];
  for (let j = 0; j < spans.length; j += 2) out.push(JSON.parse(text.slice(spans[j], spans[j + 1])));
  return out;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A small deterministic generator (mulberry32): the same mutations on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('itemSpans', () => {
  for (const name of readdirSync(FIX).filter((f) => f.endsWith('.json'))) {
    it(`${name}: one span per item, each the item's own text`, () => {
      const text = readFileSync(`${FIX}/${name}`, 'utf8');
      const spans = itemSpans(text, 100);
      expect(spans).not.toBeNull();
      expect(items(text, spans!)).toEqual((JSON.parse(text) as { nftables: unknown[] }).nftables);
    });
  }

  it('reads every JSON form inside items: escapes, numbers, literals, empty containers, spacing', () => {
    const text = ' {\n\t"nftables" :[ {"a": "q\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9x"}, -0.5e+3 , 0, 12.25E-2, true,false, null, [], {}, [[ ]], {"b":{ }} ] }\r\n';
    const spans = itemSpans(text, 100);
    expect(spans).not.toBeNull();
    expect(items(text, spans!)).toEqual((JSON.parse(text) as { nftables: unknown[] }).nftables);
    expect(itemSpans('{"nftables": []}', 100)).toEqual([]);
  });

  it('answers null for what JSON.parse refuses', () => {
    const bad = [
      '{"nftables": [1,]}',
      '{"nftables": [01]}',
      '{"nftables": [1.]}',
      '{"nftables": [-]}',
      '{"nftables": [1e]}',
      '{"nftables": [tru]}',
      '{"nftables": ["a\\x"]}',
      '{"nftables": ["a\\u12g4"]}',
      '{"nftables": ["tab\there"]}',
      '{"nftables": [{"a" 1}]}',
      '{"nftables": [{"a": 1,}]}',
      '{"nftables": [{1: 2}]}',
      '{"nftables": [{"a": 1]]}',
      '{"nftables": [[1}]}',
      '{"nftables": ["open]}',
      '{"nftables": [1] } x',
      '{"nftables": [1]',
    ];
    for (const text of bad) {
      expect(parses(text), text).toBe(false);
      expect(itemSpans(text, 100), text).toBeNull();
    }
  });

  it('answers null for any other document shape, which the whole parse then reads or names', () => {
    for (const text of ['[]', '{}', '{"nftables": {}}', '{"x": 1, "nftables": []}', '{"nftables": [], "x": 1}', '{"nftables": [], "nftables": []}', '"nftables"']) {
      expect(itemSpans(text, 100), text).toBeNull();
    }
  });

  it('answers null when brackets nest `limit` deep, as the depth check counts them', () => {
    const nested = (depth: number) => `{"nftables": [${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}]}`;
    expect(itemSpans(nested(99), 100)).not.toBeNull();
    expect(itemSpans(nested(100), 100)).toBeNull();
  });

  it('never accepts text JSON.parse refuses: 3,000 random damages to a real dump', () => {
    const text = readFileSync(`${FIX}/inet-sets-vmaps.json`, 'utf8');
    const next = random(8);
    const alphabet = '{}[]",:\\ 0-.eE+tfnul1a';
    let refused = 0;
    for (let n = 0; n < 3000; n++) {
      let t = text;
      for (let k = 1 + Math.floor(next() * 3); k > 0; k--) {
        const at = Math.floor(next() * t.length);
        const ch = alphabet[Math.floor(next() * alphabet.length)]!;
        const op = next();
        t = op < 0.4 ? t.slice(0, at) + t.slice(at + 1) : op < 0.7 ? t.slice(0, at) + ch + t.slice(at) : t.slice(0, at) + ch + t.slice(at + 1);
      }
      const ok = parses(t);
      if (!ok) refused++;
      const spans = itemSpans(t, 100);
      if (spans === null) continue;
      expect(ok, t).toBe(true);
      expect(items(t, spans)).toEqual((JSON.parse(t) as { nftables: unknown[] }).nftables);
    }
    // The damages must exercise the refusals, not only harmless edits.
    expect(refused).toBeGreaterThan(1000);
  });
});

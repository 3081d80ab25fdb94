import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeUnsafeJson, stableStringify } from './stable-json.js';

const UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

describe('escapeUnsafeJson', () => {
  it('escapes every character a terminal acts on, and nothing else', () => {
    const raw = JSON.stringify({ t: 'a\u202eb\u009bc\u2028d\u061ce\u2069f – … é' });
    expect(escapeUnsafeJson(raw)).toBe('{"t":"a\\u202eb\\u009bc\\u2028d\\u061ce\\u2069f – … é"}');
    expect(JSON.parse(escapeUnsafeJson(raw))).toEqual(JSON.parse(raw));
  });

  it('returns text without such characters unchanged', () => {
    const raw = stableStringify({ b: ['192.0.2.0/24', 'x – y'], a: 1 });
    expect(escapeUnsafeJson(raw)).toBe(raw);
  });

  it('agrees with a replace of the whole set on any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const json = JSON.stringify(s);
      return escapeUnsafeJson(json) === json.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    }));
  });
});

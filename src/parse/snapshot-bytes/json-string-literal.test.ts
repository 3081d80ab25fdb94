import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLiteralPart, isCharStart, scanStringLiteral } from './json-string-literal.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('scanStringLiteral', () => {
  it('finds the closing quote past escapes', () => {
    const b = bytes('"a\\"b\\\\\\n\\u00e9c", 1');
    expect(scanStringLiteral(b, 1)).toEqual({ end: 16, unicodeEscape: true });
    expect(scanStringLiteral(bytes('"ab\\"c"'), 1)).toEqual({ end: 6, unicodeEscape: false });
  });

  it('refuses what JSON.parse refuses', () => {
    for (const bad of ['"a\tb"', '"a\\x"', '"a\\u12g4"', '"abc', '"a\\', '"\\u12"']) {
      expect(() => JSON.parse(bad)).toThrow();
      expect(scanStringLiteral(bytes(bad), 1)).toBeNull();
    }
  });

  it('agrees with JSON.parse on any string JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const b = bytes(JSON.stringify(s) + ',');
        const found = scanStringLiteral(b, 1);
        expect(found?.end).toBe(b.length - 2);
        expect(decodeLiteralPart(b, 1, found!.end)).toBe(s);
      }),
    );
  });
});

describe('isCharStart', () => {
  it('counts the backslashes before a place', () => {
    const b = bytes('"a\\\\\\"b"');
    // a \\ \" b: a character starts at a, at the first backslash of each escape, at b.
    expect([1, 2, 3, 4, 5, 6].map((i) => isCharStart(b, 1, i))).toEqual([true, true, false, true, false, true]);
  });
});

describe('decodeLiteralPart', () => {
  it('decodes a part between two character starts', () => {
    const b = bytes('"x\\"y\\nz"');
    expect(decodeLiteralPart(b, 2, 7)).toBe('"y\n');
    expect(decodeLiteralPart(b, 1, 8)).toBe('x"y\nz');
  });
});

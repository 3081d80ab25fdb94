import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLiteralInPlace, decodeLiteralPart, isCharStart, scanStringLiteral } from './json-string-literal.js';

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

describe('decodeLiteralInPlace', () => {
  it('gives what JSON.parse gives for any string JSON.stringify writes, with and without \\u escapes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const b = bytes(JSON.stringify(s) + ',');
        const found = scanStringLiteral(b, 1)!;
        expect(decodeLiteralInPlace(b, 1, found.end, found.unicodeEscape)).toBe(s);
      }),
    );
  });

  it('decodes invalid UTF-8 between escapes as decoding the escaped text does', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0x20, max: 0xff }), fc.constantFrom('\\"', '\\\\', '\\n', '\\/', '\\t')), { maxLength: 40 }), (parts) => {
        const body = Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p === 0x22 || p === 0x5c ? 0x41 : p]) : Buffer.from(p, 'latin1'))));
        const b = Buffer.concat([Buffer.from('"'), body, Buffer.from('"')]);
        const want = decodeLiteralPart(Buffer.from(b), 1, b.length - 1);
        expect(decodeLiteralInPlace(b, 1, b.length - 1, false)).toBe(want);
      }),
    );
  });

  it('writes the text over the literal and leaves the bytes around it alone', () => {
    const b = bytes('x"a\\"b\\n"y');
    expect(decodeLiteralInPlace(b, 2, 8, false)).toBe('a"b\n');
    expect(b.toString('latin1', 0, 2)).toBe('x"');
    expect(b.toString('latin1', 8)).toBe('"y');
  });
});

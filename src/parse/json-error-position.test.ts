import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from './json-error-position.js';

describe('findJsonSyntaxError', () => {
  it('finds line and column', () => {
    expect(findJsonSyntaxError('{\n  "a": 1,\n  "b": }\n')).toMatchObject({ line: 3, column: 8, offset: 19 });
    expect(findJsonSyntaxError('[1,2,]')).toMatchObject({ line: 1, column: 6 });
    expect(findJsonSyntaxError('{"a" 1}')).toMatchObject({ column: 6, expected: "':' after the property name" });
    expect(findJsonSyntaxError('')).toMatchObject({ line: 1, column: 1, expected: 'a value' });
    expect(findJsonSyntaxError('{"a":1} x')).toMatchObject({ column: 9 });
    expect(findJsonSyntaxError('"a\nb"')).toMatchObject({ line: 1, column: 3 });
    expect(findJsonSyntaxError('"\\u12G4"')).toMatchObject({ column: 6 });
  });
  it('null for valid JSON', () => {
    expect(findJsonSyntaxError(' {"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]} ')).toBeNull();
  });
  it('agrees with JSON.parse on what is valid (fuzz)', () => {
    const agree = (text: string) => {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(findJsonSyntaxError(text) === null).toBe(valid);
    };
    fc.assert(fc.property(fc.json(), agree), { numRuns: 300 });
    fc.assert(fc.property(fc.json(), fc.nat(), fc.string({ maxLength: 2 }), (j, at, ins) => agree(j.slice(0, at % (j.length + 1)) + ins + j.slice(at % (j.length + 1)))), { numRuns: 1000 });
    fc.assert(fc.property(fc.string(), agree), { numRuns: 300 });
  });
  it('does not crash on deep nesting', () => {
    expect(findJsonSyntaxError('['.repeat(100000))).not.toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, excessiveNesting, valueNestsDeeper } from './json-depth.js';

/** JSON text nesting `levels` containers deep, alternating arrays and objects, with strings holding brackets. */
function nested(levels: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < levels; i++) {
    if (i % 2 === 0) {
      open += '["[{\\"", ';
      close = ']' + close;
    } else {
      open += '{"k{": ';
      close = '}' + close;
    }
  }
  return open + '1' + close;
}

describe('valueNestsDeeper (the check on the parsed tree)', () => {
  it('agrees with the text scan at, just under and just over the limit', () => {
    for (const levels of [1, 2, 50, MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1, MAX_JSON_DEPTH + 2, 5000]) {
      const text = nested(levels);
      expect(valueNestsDeeper(JSON.parse(text)), `${levels} levels`).toBe(excessiveNesting(text) !== null);
      expect(valueNestsDeeper(JSON.parse(text)), `${levels} levels`).toBe(levels > MAX_JSON_DEPTH);
    }
  });

  it('reads scalars and wide shallow values as shallow', () => {
    expect(valueNestsDeeper(3)).toBe(false);
    expect(valueNestsDeeper(null)).toBe(false);
    expect(valueNestsDeeper({ a: Array.from({ length: 10_000 }, (_, i) => ({ i })) })).toBe(false);
  });
});

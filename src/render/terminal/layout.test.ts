import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { table, textWidth, truncate, wrap } from './layout.js';

describe('wrap', () => {
  it('wraps on spaces and splits words longer than the line', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('', 10)).toEqual(['']);
  });

  it('never returns a line wider than asked and loses no word', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 1, max: 50 }), (s, w) => {
        const text = s.replace(/\s/g, ' ');
        const lines = wrap(text, w);
        for (const l of lines) expect(textWidth(l)).toBeLessThanOrEqual(w);
        expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      }),
    );
  });
});

describe('truncate', () => {
  it('cuts with an ellipsis only when needed', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(textWidth(truncate('x'.repeat(100), 10))).toBe(10);
  });
});

describe('table', () => {
  const cols = [
    { header: 'A', min: 3 },
    { header: 'B', min: 4, shrink: 1 },
  ];
  it('shrinks the shrinkable column to fit and reports column starts', () => {
    const t = table(cols, [[{ text: 'one' }, { text: 'a long cell text' }]], 12, '  ', (s) => s);
    expect(t.rows).toEqual(['  one  a lo…']);
    expect(t.head).toBe('  A    B');
    expect(t.starts).toEqual([2, 7]);
  });
});

describe('textWidth', () => {
  it('counts code points: a surrogate pair is one column, a lone surrogate one', () => {
    expect(textWidth('abc…')).toBe(4);
    expect(textWidth('a😀b')).toBe(3);
    expect(textWidth('\ud83d')).toBe(1);
    expect(textWidth('x\ude00\ud83d')).toBe(3);
  });

  it('agrees with string iteration on any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => textWidth(s) === [...s].length));
  });
});

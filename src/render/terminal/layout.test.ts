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

describe('wrap of single-spaced text (cut from the text itself)', () => {
  // The word-by-word reference, as wrap was before its fast path.
  function reference(text: string, width: number): string[] {
    const w = Math.max(1, width);
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/ +/)) {
      const cps = [...word];
      let at = 0;
      if (cps.length > w) {
        if (line) lines.push(line);
        line = '';
        for (; cps.length - at > w; at += w) lines.push(cps.slice(at, at + w).join(''));
      }
      const rest = cps.slice(at).join('');
      if (!line) line = rest;
      else if (textWidth(line) + 1 + textWidth(rest) <= w) line += ' ' + rest;
      else {
        lines.push(line);
        line = rest;
      }
    }
    if (line || lines.length === 0) lines.push(line);
    return lines;
  }

  it('gives the word-by-word lines for any text of words, spaces and surrogate pairs', () => {
    const char = fc.constantFrom('a', 'b', ' ', ' ', '😀', '\ud83d', '\ude00', '…', '-');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 120 }), fc.integer({ min: 1, max: 30 }), (chars, w) => {
        const text = chars.join('');
        expect(wrap(text, w)).toEqual(reference(text, w));
      }),
      { numRuns: 3000 },
    );
  });

  it('counts a surrogate pair as one column when it decides where a line breaks', () => {
    expect(wrap('😀😀 ab', 5)).toEqual(['😀😀 ab']);
    expect(wrap('😀😀 abc', 5)).toEqual(['😀😀', 'abc']);
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

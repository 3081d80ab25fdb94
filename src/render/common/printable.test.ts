import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printable } from './printable.js';

describe('printable', () => {
  it('shows control and bidi characters as escapes and keeps the rest', () => {
    expect(printable('a\u001b[31mb')).toBe('a\\x1b[31mb');
    expect(printable('x\ny\tz\r')).toBe('x\\ny\\tz\\r');
    expect(printable('abc\u202Edef\u2066')).toBe('abc\\u202edef\\u2066');
    expect(printable('\u0085\u007f')).toBe('\\x85\\x7f');
    expect(printable('-A INPUT -m comment --comment "ça va" -j ACCEPT')).toBe('-A INPUT -m comment --comment "ça va" -j ACCEPT');
  });

  it('never lets an unsafe character through', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => {
        expect(printable(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { isHighSurrogate, isLowSurrogate } from './utf16.js';

describe('surrogate halves', () => {
  it('tells the two halves of a pair from each other and from other units', () => {
    const pair = '😀';
    expect(isHighSurrogate(pair.charCodeAt(0))).toBe(true);
    expect(isLowSurrogate(pair.charCodeAt(1))).toBe(true);
    expect(isHighSurrogate(pair.charCodeAt(1))).toBe(false);
    expect(isLowSurrogate(pair.charCodeAt(0))).toBe(false);
    expect(isHighSurrogate('a'.charCodeAt(0))).toBe(false);
    expect(isLowSurrogate(0xe000)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { TextChunks } from './text-chunks.js';

describe('TextChunks', () => {
  it('joins the parts pushed into chunks of at least its size, the last one shorter, in order', () => {
    const out = new TextChunks(10);
    const parts = ['abc', 'defg', 'hij', 'k', '', 'lmnopqrstuvwxyz', '–😀', 'end'];
    for (const p of parts) out.push(p);
    const chunks = out.done();
    expect(chunks.join('')).toBe(parts.join(''));
    expect(chunks).toEqual(['abcdefghij', 'klmnopqrstuvwxyz', '–😀end']);
  });

  it('gives no chunk for nothing pushed, and an empty part alone makes one empty chunk', () => {
    expect(new TextChunks().done()).toEqual([]);
    const out = new TextChunks();
    out.push('');
    expect(out.done()).toEqual(['']);
  });
});

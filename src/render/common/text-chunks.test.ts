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

  it('hands each chunk to emit as it is cut, keeping none of them', () => {
    const emitted: string[] = [];
    const out = new TextChunks(10, (chunk) => emitted.push(chunk));
    out.push('abc');
    out.push('defghij');
    // Cut at the tenth character: handed over before anything else is pushed.
    expect(emitted).toEqual(['abcdefghij']);
    out.push('k');
    expect(out.done()).toEqual([]);
    expect(emitted).toEqual(['abcdefghij', 'k']);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KNOWN_SHA256, pageHead } from './page-head.js';
import { SCRIPT } from './script.js';
import { STYLE } from './style.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64');

describe('pageHead', () => {
  it('knows the hash of the report pages\' style and script without hashing them, and each is right', () => {
    expect([...KNOWN_SHA256.keys()]).toEqual([STYLE, SCRIPT]);
    // An edit of style.ts or script.ts fails here until its hash in page-head.ts is updated.
    for (const [text, hash] of KNOWN_SHA256) expect(hash).toBe(sha256(text));
  });

  it('puts the hashes of the style and script it is given into the page\'s CSP, known or not', () => {
    const other = 'body{color:red}';
    const head = pageHead('t', other, SCRIPT);
    expect(head).toContain(`style-src 'sha256-${sha256(other)}';`);
    expect(head).toContain(`script-src 'sha256-${sha256(SCRIPT)}';`);
    expect(pageHead('t', STYLE)).toContain(`style-src 'sha256-${sha256(STYLE)}';`);
  });
});

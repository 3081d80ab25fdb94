/**
 * The head every self-contained report page shares: a Content-Security-Policy with
 * `default-src 'none'` and hashes for the page's one style (and script, if any), so nothing
 * loads from the network even if some data slipped through escaping.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { h } from './escape.js';
import { SCRIPT } from './script.js';
import { STYLE } from './style.js';

// node:crypto loads on the first page rendered, not at start-up: every audit and explain reaches
// this module, and loading crypto cost each of them ~10 ms though only the HTML page hashes (issue 8).
const require = createRequire(import.meta.url);
let hasher: typeof import('node:crypto').createHash | undefined;

/**
 * SHA-256 (base64) of the report pages' own style and script, known in advance: loading
 * node:crypto to hash them took ~15 ms of every HTML audit (compiling Node's crypto modules;
 * issue 8). page-head.test.ts checks each against the hash computed, so an edit of either
 * that forgets its hash here fails there.
 */
export const KNOWN_SHA256: ReadonlyMap<string, string> = new Map([
  [STYLE, 'ali5aXbQ4c2UuFWRYYEmKKlTgkPlr/H3LIuRV5VLbjU='],
  [SCRIPT, '/K1j3lgQFUGjIVC24CxQpEmk2jnmFQh2PBEOi7yd80k='],
]);

function cspHash(text: string): string {
  const known = KNOWN_SHA256.get(text);
  if (known !== undefined) return `'sha256-${known}'`;
  hasher ??= (require('node:crypto') as typeof import('node:crypto')).createHash;
  return `'sha256-${hasher('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** `<!doctype html>` through `</head>`, with the style inline. */
export function pageHead(title: string, style: string, script?: string): string {
  const csp = `default-src 'none'; style-src ${cspHash(style)};${script === undefined ? '' : ` script-src ${cspHash(script)};`} img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${h(title)}</title>
<style>${style}</style>
</head>`;
}

/**
 * The head every self-contained report page shares: a Content-Security-Policy with
 * `default-src 'none'` and hashes for the page's one style (and script, if any), so nothing
 * loads from the network even if some data slipped through escaping.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { h } from './escape.js';

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
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

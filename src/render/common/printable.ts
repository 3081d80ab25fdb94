/**
 * Rule texts and comments come from the firewall, which anyone with a port open to
 * `iptables -m comment` can write into: never print them raw. Control characters (an ESC
 * could rewrite the terminal) and bidirectional overrides ("Trojan Source", CVE-2021-42574)
 * are shown as escapes.
 *
 * @module
 */
import { isHighSurrogate } from '../../model/utf16.js';

// C0 controls, DEL, C1 controls, line/paragraph separators, and the bidi embedding/override/isolate marks.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same set without /g: test() keeps no lastIndex from one call to the next. */
const HAS_UNSAFE = new RegExp(UNSAFE.source);

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Host strings are shown cut to this many characters (a 200 MB hostname, a 5 MB process
 * name): the rest is counted, not printed. JSON keeps them whole (see README, "Hostile input").
 */
export const DISPLAY_LIMIT = 1000;

/** Cut to {@link DISPLAY_LIMIT} characters, saying how many more there were; never splits a surrogate pair. */
export function cutForDisplay(text: string, limit = DISPLAY_LIMIT): string {
  if (text.length <= limit) return text;
  // Room for the marker inside the limit, so cutting twice changes nothing.
  let end = limit - 32;
  const last = text.charCodeAt(end - 1);
  if (isHighSurrogate(last)) end--;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

/** Replace unsafe characters with visible escapes (`\x1b`, `\n`, `\u202e`), cut to {@link DISPLAY_LIMIT}. */
export function printable(text: string): string {
  const cut = cutForDisplay(text);
  // Searched first: a replace that finds nothing still copied every caveat of a text report.
  if (!HAS_UNSAFE.test(cut)) return cut;
  return cut.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named !== undefined) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** {@link printable} line by line: newlines stay (messages span lines), everything else is escaped. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/**
 * Rule texts and comments come from the firewall, which anyone with a port open to
 * `iptables -m comment` can write into: never print them raw. Control characters (an ESC
 * could rewrite the terminal) and bidirectional overrides ("Trojan Source", CVE-2021-42574)
 * are shown as escapes.
 *
 * @module
 */

// C0 controls, DEL, C1 controls, and the bidi embedding/override/isolate marks.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Replace unsafe characters with visible escapes (`\x1b`, `\n`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNSAFE, (ch) => {
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

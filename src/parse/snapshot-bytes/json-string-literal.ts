/**
 * A JSON string literal checked where it lies in a file's bytes, without decoding it: a
 * snapshot's firewall dumps are tens of megabytes of one literal each, and a one-flow explain
 * may never need the text (issue 8). Accepts exactly what JSON.parse accepts in a string.
 *
 * @module
 */

const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
/** The characters that may follow a backslash, but `u` (which takes four hex digits). */
const SHORT_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SHORT_ESCAPE[c.charCodeAt(0)] = 1;

export interface StringLiteral {
  /** Index of the closing quote. */
  end: number;
  /** Whether a `\uXXXX` escape occurs (text may then hide behind escapes). */
  unicodeEscape: boolean;
}

/**
 * The literal whose first character (after the opening quote) is at `from`: where it ends,
 * or null when it is not valid JSON (a raw control character, a bad escape, no closing quote).
 */
export function scanStringLiteral(bytes: Uint8Array, from: number): StringLiteral | null {
  const n = bytes.length;
  let unicodeEscape = false;
  let i = from;
  // Hot loop over tens of megabytes: plain byte tests only.
  while (i < n) {
    const c = bytes[i]!;
    if (c === 0x22) return { end: i, unicodeEscape };
    if (c < 0x20) return null;
    if (c === 0x5c) {
      const e = bytes[i + 1];
      if (e === 0x75) {
        if (i + 5 >= n || !(HEX[bytes[i + 2]!] && HEX[bytes[i + 3]!] && HEX[bytes[i + 4]!] && HEX[bytes[i + 5]!])) return null;
        unicodeEscape = true;
        i += 6;
        continue;
      }
      if (e === undefined || !SHORT_ESCAPE[e]) return null;
      i += 2;
      continue;
    }
    i++;
  }
  return null;
}

/**
 * Whether `at` starts a character of a literal that holds no `\u` escape: every escape is
 * then two bytes, so `at` starts one iff an even run of backslashes precedes it.
 */
export function isCharStart(bytes: Uint8Array, literalStart: number, at: number): boolean {
  let run = 0;
  for (let i = at - 1; i >= literalStart && bytes[i] === 0x5c; i--) run++;
  return run % 2 === 0;
}

/** The text of literal bytes [from, to) (both character starts), decoded as JSON.parse would. */
export function decodeLiteralPart(bytes: Uint8Array, from: number, to: number): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A whole literal is decoded with its own quotes: no copy of tens of megabytes to add them.
  if (buf[from - 1] === 0x22 && buf[to] === 0x22) return JSON.parse(buf.toString('utf8', from - 1, to + 1)) as string;
  return JSON.parse(`"${buf.toString('utf8', from, to)}"`) as string;
}


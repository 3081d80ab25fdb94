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


/** What a short escape's letter stands for (`\n` → newline, `\"` → quote, …). */
const UNESCAPED = new Uint8Array(256);
for (const [letter, byte] of [['"', 0x22], ['\\', 0x5c], ['/', 0x2f], ['b', 0x08], ['f', 0x0c], ['n', 0x0a], ['r', 0x0d], ['t', 0x09]] as const) UNESCAPED[letter.charCodeAt(0)] = byte;

/**
 * The text of a whole literal, its bytes [from, to) between the quotes, decoded as JSON.parse
 * would by writing the unescaped bytes over the literal's own: a dump is tens of megabytes,
 * and decoding it by way of a string of its escaped text first made a second copy of that size
 * (each megabyte first touched costs ~2.6 ms here; issue 8). The literal's bytes are not valid
 * afterwards: only for a literal nothing reads again. One with a `\u` escape (which may
 * spell half a surrogate pair, not UTF-8) is decoded the plain way and left as it is.
 * Escapes are ASCII and stand for ASCII, so UTF-8 decoding after unescaping reads every other
 * byte (invalid sequences too) as decoding before it does.
 */
export function decodeLiteralInPlace(bytes: Uint8Array, from: number, to: number, unicodeEscape: boolean): string {
  if (unicodeEscape) return decodeLiteralPart(bytes, from, to);
  let w = from;
  let ascii = true;
  for (let r = from; r < to; r++) {
    let c = bytes[r]!;
    if (c === 0x5c) c = UNESCAPED[bytes[++r]!]!;
    else if (c >= 0x80) ascii = false;
    bytes[w++] = c;
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // ASCII text is the same in Latin-1, which copies without decoding.
  return buf.toString(ascii ? 'latin1' : 'utf8', from, w);
}

/**
 * Split one line the way iptables-restore does: blanks separate words, double quotes group
 * blanks into a word, a backslash takes the next character literally (iptables-save writes
 * `\"` and `\\` inside quoted comments). Shared with the ipset-save parser.
 *
 * @module
 */

export interface Token {
  value: string;
  /** Offsets of the word in the line, quotes included: line.slice(start, end) is the source. */
  start: number;
  end: number;
  /** Some part of the word was quoted, so it is data even when it starts with "-". */
  quoted: boolean;
}

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; column: number };

/**
 * Words of one line in parallel arrays, reused from line to line: the rule parser runs on
 * every line of dumps with 100,000 rules, and one object per word would be most of its garbage.
 */
export class TokenBuffer {
  values: string[] = [];
  starts: number[] = [];
  ends: number[] = [];
  quoted: boolean[] = [];
  length = 0;
}

/**
 * Tokenize into `buf` (overwriting it); returns -1, or the 1-based column of an
 * unterminated quote.
 */
export function tokenizeInto(line: string, buf: TokenBuffer): number {
  const n = line.length;
  let count = 0;
  let i = 0;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    let value = '';
    let quoted = false;
    let inQuote = false;
    let quoteStart = -1;
    let plainFrom = i; // start of the current run copied verbatim
    while (i < n) {
      c = line.charCodeAt(i);
      if (!inQuote && (c === 32 || c === 9 || c === 13)) break;
      if (c === 92 /* \ */ && i + 1 < n) {
        value += line.slice(plainFrom, i) + line[i + 1];
        i += 2;
        plainFrom = i;
        continue;
      }
      if (c === 34 /* " */) {
        value += line.slice(plainFrom, i);
        inQuote = !inQuote;
        if (inQuote) quoteStart = i;
        quoted = true;
        i++;
        plainFrom = i;
        continue;
      }
      i++;
    }
    if (inQuote) {
      buf.length = count;
      return quoteStart + 1;
    }
    buf.values[count] = plainFrom === start ? line.slice(start, i) : value + line.slice(plainFrom, i);
    buf.starts[count] = start;
    buf.ends[count] = i;
    buf.quoted[count] = quoted;
    count++;
  }
  buf.length = count;
  return -1;
}

/** Tokenize a line; fails (with the column of the opening quote) on an unterminated quote. */
export function tokenize(line: string): TokenizeResult {
  const buf = new TokenBuffer();
  const column = tokenizeInto(line, buf);
  if (column >= 0) return { ok: false, column };
  const tokens: Token[] = [];
  for (let k = 0; k < buf.length; k++) tokens.push({ value: buf.values[k]!, start: buf.starts[k]!, end: buf.ends[k]!, quoted: buf.quoted[k]! });
  return { ok: true, tokens };
}

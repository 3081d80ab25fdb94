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

/** Tokenize a line; fails (with the column of the opening quote) on an unterminated quote. */
export function tokenize(line: string): TokenizeResult {
  const tokens: Token[] = [];
  const n = line.length;
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
    if (inQuote) return { ok: false, column: quoteStart + 1 };
    value = plainFrom === start ? line.slice(start, i) : value + line.slice(plainFrom, i);
    tokens.push({ value, start, end: i, quoted });
  }
  return { ok: true, tokens };
}

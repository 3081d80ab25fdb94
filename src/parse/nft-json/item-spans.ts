/**
 * Where each item of an `nft -j` document lies in its text, found without building it. A
 * one-flow `explain` on a kube-proxy node reads a 17 MB dump of which it lowers a few
 * chains: JSON.parse of the whole text (and the garbage of 40,000 rule trees) is most of
 * its load. With the spans, the rules are parsed one by one when their chain is lowered.
 *
 * The scan checks the whole text against the JSON grammar (RFC 8259), so text it accepts is
 * text JSON.parse accepts: a damaged dump is never half read. It answers only for the shape
 * nft prints, `{"nftables": [item, …]}` nested less than `limit` brackets deep; for anything
 * else (or any error) it answers null and the caller parses the text whole, which then says
 * exactly what is wrong, as before.
 *
 * @module
 */

const OBJECT = 1;
const ARRAY = 2;

/** Start and end offsets of each item, as flat pairs [start0, end0, start1, end1, …]; null: parse the text whole. */
export function itemSpans(text: string, limit: number): number[] | null {
  const n = text.length;
  let i = ws(text, 0);
  if (!text.startsWith('{', i)) return null;
  i = ws(text, i + 1);
  if (!text.startsWith('"nftables"', i)) return null;
  i = ws(text, i + 10);
  if (text.charCodeAt(i) !== 0x3a /* : */) return null;
  i = ws(text, i + 1);
  if (text.charCodeAt(i) !== 0x5b /* [ */) return null;
  i = ws(text, i + 1);
  const spans: number[] = [];
  // The document's object and array are two levels: items start at depth 2.
  const stack = new Uint8Array(limit);
  if (text.charCodeAt(i) === 0x5d /* ] */) i++;
  else {
    for (;;) {
      const end = value(text, i, stack, 2, limit);
      if (end < 0) return null;
      spans.push(i, end);
      i = ws(text, end);
      const c = text.charCodeAt(i);
      if (c === 0x5d) {
        i++;
        break;
      }
      if (c !== 0x2c /* , */) return null;
      i = ws(text, i + 1);
    }
  }
  i = ws(text, i);
  if (text.charCodeAt(i) !== 0x7d /* } */) return null;
  return ws(text, i + 1) === n ? spans : null;
}

/**
 * The end of the JSON value starting at `i` (no leading space), or -1. `depth` brackets
 * are open around it; one more than `limit - 1` fails. Iterative: the stack holds what
 * each open bracket is.
 */
function value(text: string, i: number, stack: Uint8Array, depth: number, limit: number): number {
  const base = depth;
  // true: a value is expected at i; false: a value just ended before i.
  let want = true;
  for (;;) {
    if (want) {
      const c = text.charCodeAt(i);
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        if (depth + 1 >= limit) return -1;
        stack[depth++] = c === 0x7b ? OBJECT : ARRAY;
        i = ws(text, i + 1);
        const close = text.charCodeAt(i);
        if (close === (c === 0x7b ? 0x7d : 0x5d)) {
          depth--;
          i++;
          want = false;
          continue;
        }
        if (c === 0x7b) {
          i = key(text, i);
          if (i < 0) return -1;
        }
        continue;
      }
      if (c === 0x22 /* " */) i = string(text, i);
      else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) i = number(text, i);
      else if (text.startsWith('true', i)) i += 4;
      else if (text.startsWith('false', i)) i += 5;
      else if (text.startsWith('null', i)) i += 4;
      else return -1;
      if (i < 0) return -1;
      want = false;
      continue;
    }
    if (depth === base) return i;
    i = ws(text, i);
    const c = text.charCodeAt(i);
    const open = stack[depth - 1];
    if (c === 0x2c /* , */) {
      i = ws(text, i + 1);
      if (open === OBJECT) {
        i = key(text, i);
        if (i < 0) return -1;
      }
      want = true;
      continue;
    }
    if ((open === OBJECT && c === 0x7d) || (open === ARRAY && c === 0x5d)) {
      depth--;
      i++;
      continue;
    }
    return -1;
  }
}

/**
 * The end of the value at `i` in text {@link itemSpans} accepted (a member of an item being
 * read in place), or -1.
 */
export function valueEnd(text: string, i: number, limit: number): number {
  return value(text, i, new Uint8Array(limit), 0, limit);
}

/** `"name" :` and the space after it: the index of the member's value, or -1. */
function key(text: string, i: number): number {
  if (text.charCodeAt(i) !== 0x22) return -1;
  i = string(text, i);
  if (i < 0) return -1;
  i = ws(text, i);
  if (text.charCodeAt(i) !== 0x3a) return -1;
  return ws(text, i + 1);
}

/** The end of the string starting at the quote at `i`, or -1. */
function string(text: string, i: number): number {
  const n = text.length;
  for (i++; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c /* \ */) {
      const e = text.charCodeAt(++i);
      if (e === 0x75 /* u */) {
        for (let k = 1; k <= 4; k++) if (!isHex(text.charCodeAt(i + k))) return -1;
        i += 4;
      } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return -1;
    }
  }
  return -1;
}

/** The end of the number starting at `i` (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?), or -1. */
function number(text: string, i: number): number {
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else {
    const start = i;
    i = digits(text, i);
    if (i === start) return -1;
  }
  if (text.charCodeAt(i) === 0x2e /* . */) {
    const start = ++i;
    i = digits(text, i);
    if (i === start) return -1;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    const start = i;
    i = digits(text, i);
    if (i === start) return -1;
  }
  return i;
}

function digits(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return i;
    i++;
  }
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Skip JSON white space (space, tab, line feed, carriage return). */
function ws(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** For readers of checked text that walk an item themselves ({@link valueEnd}). */
export { number as numberEnd, string as stringEnd, ws as spaceEnd };

/**
 * A deferred rule's template shape read from its text, without parsing it (issue 8). kube-proxy
 * writes 40,000 rules of a few shapes; parsing each rule's JSON and keying its shape by JSON
 * text were a sixth of a kube-proxy node's load (their trees and keys: tens of megabytes of
 * garbage, a scavenge per megabyte). The shape here is the rule's statement text with its hole
 * constants cut out, as the pieces of text between the cuts; a rule whose pieces equal those of
 * a parsed rule that was tied to a template is made from that template with its own constants
 * (rule-template.ts `lowerFromText`).
 *
 * Only the forms nft prints are read: a hole is cut where the text spells it in the one form
 * JSON-level shape keys treat as a hole (a literal without escapes, an address prefix with its
 * members in nft's order);
 * anything else stays in the pieces. Two rules of equal pieces have the same statements but for
 * the literals cut, character for character, so their parsed statements are equal but for those;
 * pieces are tied to a template only when the parsed rule's holes are exactly the cut ones
 * (rule-template.ts `tieText`). Any other text (a comment, escapes in a hole, another member
 * order) answers null: the rule is parsed as before.
 *
 * @module
 */
import { numberEnd, spaceEnd } from './item-spans.js';

/** An address prefix as nft prints a hole match's constant: `{"prefix": {"addr": …, "len": …}}`. */
export type PrefixConstant = { prefix: { addr: string; len: number } };

/** What a rule's last statement is, as far as its holes go (as rule-template.ts `Terminal`). */
export type TextTerminal = 'fixed' | 'verdict' | 'vmap' | 'dnat';

/**
 * A rule's shape and constants, read from its text. One object serves every scan (a full load
 * reads 40,000 rules): valid until the next {@link textShape}; keep a copy of what must last.
 */
export interface TextShape {
  text: string;
  /** The pieces of statement text between the cuts, as offsets [start0, end0, start1, end1, …]. */
  pieces: number[];
  /** A hash of the pieces' text: equal pieces, equal hash. */
  hash: number;
  /** How many statements. */
  count: number;
  handle: number;
  /** Statement indexes of the hole matches, and each one's constant. */
  matches: number[];
  rights: (string | number | PrefixConstant)[];
  terminal: TextTerminal;
  /** The verdict's target (verdict), each element's target (vmap), or the dnat address and port (absent: undefined). */
  targets: (string | number | undefined)[];
}

const HEAD = /\{\s*"rule"\s*:\s*\{\s*"family"\s*:\s*"[^"\\]*"\s*,\s*"table"\s*:\s*"[^"\\]*"\s*,\s*"chain"\s*:\s*"[^"\\]*"\s*,\s*"handle"\s*:\s*(?:0|[1-9]\d{0,14})\s*,\s*"expr"\s*:\s*\[\s*/y;
/** `PROTOCOL ADDRESS-OR-PORT-FIELD == ` up to its literal (rule-template.ts isHoleMatch). */
/** A prefix constant, spaced as JSON allows, its members in nft's order (addr, len). */
const PREFIX = /\{\s*"prefix"\s*:\s*\{\s*"addr"\s*:\s*"([^"\\@][^"\\]*)"\s*,\s*"len"\s*:\s*(0|[1-9]\d{0,2})\s*\}\s*\}/y;
const HOLE_MATCH = /\{\s*"match"\s*:\s*\{\s*"op"\s*:\s*"=="\s*,\s*"left"\s*:\s*\{\s*"payload"\s*:\s*\{\s*"protocol"\s*:\s*"(?:ip|ip6|tcp|udp|sctp|dccp|udplite|th)"\s*,\s*"field"\s*:\s*"(?:saddr|daddr|sport|dport)"\s*\}\s*\}\s*,\s*"right"\s*:\s*/y;
const VERDICT = /\{\s*"(?:jump|goto)"\s*:\s*\{\s*"target"\s*:\s*/y;
const VMAP = /\{\s*"vmap"\s*:\s*\{\s*"key"\s*:\s*/y;
const VMAP_DATA = /,\s*"data"\s*:\s*\{\s*"set"\s*:\s*\[\s*/y;
const ELEMENT_VERDICT = /,\s*\{\s*"(?:jump|goto)"\s*:\s*\{\s*"target"\s*:\s*/y;
const DNAT = /\{\s*"dnat"\s*:\s*\{\s*(?:"family"\s*:\s*"[^"\\]*"\s*,\s*)?"addr"\s*:\s*/y;
const DNAT_PORT = /,\s*"port"\s*:\s*/y;
/** As rule-template.ts: literal sets longer than this are not templated. */
const MAX_ELEMENTS = 64;

const shape: TextShape = { text: '', pieces: [], hash: 0, count: 0, handle: 0, matches: [], rights: [], terminal: 'fixed', targets: [] };
/** Where the text not yet in a piece starts. */
let from = 0;

/** The shape of the rule item at [start, end) of dump text checked against the JSON grammar (item-spans.ts), or null to parse it. */
export function textShape(text: string, start: number, end: number): TextShape | null {
  HEAD.lastIndex = start;
  if (!HEAD.test(text)) return null;
  let i = HEAD.lastIndex;
  shape.text = text;
  shape.handle = handleOf(text, i);
  empty(shape.pieces);
  empty(shape.matches);
  empty(shape.rights);
  empty(shape.targets);
  shape.terminal = 'fixed';
  from = i;
  let count = 0;
  for (;;) {
    if (text.charCodeAt(i) === 0x5d /* ] */) break;
    const pieces = shape.pieces.length;
    const targets = shape.targets.length;
    const before = from;
    let kind: TextTerminal = 'fixed';
    let next: number;
    HOLE_MATCH.lastIndex = i;
    if (HOLE_MATCH.test(text)) {
      next = matchConstantEnd(text, HOLE_MATCH.lastIndex);
      if (next >= 0) shape.matches.push(count);
    } else {
      next = terminalEnd(text, i);
      if (next >= 0) kind = terminalKind;
    }
    if (next < 0) {
      // Not a hole in nft's form: the statement stays whole (undo the cuts a failed read made).
      shape.pieces.length = pieces;
      shape.targets.length = targets;
      from = before;
      next = skipValue(text, i);
      if (next < 0) return null;
    }
    count++;
    i = spaceEnd(text, next);
    const c = text.charCodeAt(i);
    if (c === 0x5d) {
      shape.terminal = kind;
      break;
    }
    if (c !== 0x2c /* , */) return null;
    // A verdict before the last statement ends the rule there: not a template's shape.
    if (kind !== 'fixed') return null;
    i = spaceEnd(text, i + 1);
  }
  if (count === 0) return null;
  // `]` `}` `}`: nothing after the statements (a comment makes the rule parsed).
  let j = spaceEnd(text, i + 1);
  if (text.charCodeAt(j) !== 0x7d) return null;
  j = spaceEnd(text, j + 1);
  if (text.charCodeAt(j) !== 0x7d || spaceEnd(text, j + 1) !== end) return null;
  shape.pieces.push(from, i);
  shape.count = count;
  shape.hash = piecesHash(text, shape.pieces);
  return shape;
}

/**
 * A hash of every character of the pieces. Their lengths alone were too little: rules that keep
 * a constant in their pieces (a source prefix is not a hole) differ only in those characters, so
 * 100,000 such rules fell into a few buckets searched rule by rule (1.4 s of an nft-100000
 * load: issue 8).
 */
function piecesHash(text: string, pieces: readonly number[]): number {
  let hash = pieces.length;
  for (let k = 0; k < pieces.length; k += 2) {
    const end = pieces[k + 1]!;
    for (let i = pieces[k]!; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
    hash = Math.imul(hash, 31) | 0;
  }
  return hash;
}

/**
 * `list.length = 0` without letting its storage go: V8 frees an array's elements when its
 * length is set to 0, so each of the 40,000 rules a load scans grew its four lists anew
 * (~600 bytes of garbage a rule; issue 8). A pop to zero keeps a short list's storage.
 */
function empty(list: unknown[]): void {
  if (list.length === 0) return;
  list.length = 1;
  list.pop();
}

/**
 * The end of the value at `i` in text already checked against the JSON grammar (item-spans.ts):
 * only brackets and strings need reading, a string up to its closing quote found by indexOf (a
 * character-by-character check of the grammar again cost as much as the JSON.parse it saves).
 */
function skipValue(text: string, i: number): number {
  let depth = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringClose(text, i) + 1;
      if (i === 0) return -1;
      if (depth === 0) return i;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      // A closing bracket at depth 0 ends the array a scalar value was last in.
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && (c === 0x2c || Number.isNaN(c))) return i;
    i++;
  }
}

/** The index of the quote that closes the string opening at `i` (a quote after an even run of backslashes), or -1. */
function stringClose(text: string, i: number): number {
  for (let q = text.indexOf('"', i + 1); q >= 0; q = text.indexOf('"', q + 1)) {
    let run = 0;
    while (text.charCodeAt(q - 1 - run) === 0x5c) run++;
    if (run % 2 === 0) return q;
  }
  return -1;
}

/** The handle in a head the pattern read (its member is the last `"handle"` before the head's end: names hold no quote). */
function handleOf(text: string, headEnd: number): number {
  let i = spaceEnd(text, text.lastIndexOf('"handle"', headEnd) + 8);
  i = spaceEnd(text, i + 1);
  const first = i;
  while (text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
  // At most 15 digits (the pattern): the number JSON.parse reads.
  return Number(text.slice(first, i));
}

/**
 * A hole match's constant at `i`, then the match's two closing braces: the end of the statement,
 * or -1. The constant is pushed on the shape's rights and its text cut: a literal, or an address
 * prefix (an allowlist's `ip saddr 10.0.0.0/8`: a 100,000-rule host's rules were parsed one by
 * one for it; issue 8).
 */
function matchConstantEnd(text: string, i: number): number {
  PREFIX.lastIndex = i;
  const m = text.charCodeAt(i) === 0x7b /* { */ ? PREFIX.exec(text) : null;
  if (m === null) {
    const end = closeAfterLiteral(text, i, 2, false);
    if (end >= 0) shape.rights.push(shape.targets.pop() as string | number);
    return end;
  }
  const end = closeBraces(text, PREFIX.lastIndex, 2);
  if (end < 0) return -1;
  shape.rights.push({ prefix: { addr: m[1]!, len: Number(m[2]) } });
  shape.pieces.push(from, i);
  from = PREFIX.lastIndex;
  return end;
}

/** A hole constant at `i` then `closers` closing braces: the end of the statement, or -1. */
function closeAfterLiteral(text: string, i: number, closers: number, stringsOnly: boolean): number {
  const end = literal(text, i, stringsOnly);
  return end < 0 ? -1 : closeBraces(text, end, closers);
}

/**
 * A hole constant at `i` (a string without escapes, not a set reference; or, unless `stringsOnly`,
 * a number): its end, its value pushed on the shape's targets and its text cut; or -1.
 */
function literal(text: string, i: number, stringsOnly: boolean): number {
  let end: number;
  let value: string | number;
  if (text.charCodeAt(i) === 0x22) {
    // Checked text: the next quote ends the string unless an escape comes first (then not a hole).
    end = text.indexOf('"', i + 1) + 1;
    value = text.slice(i + 1, end - 1);
    if (value.includes('\\') || value.startsWith('@')) return -1;
  } else {
    if (stringsOnly) return -1;
    end = numberEnd(text, i);
    if (end < 0) return -1;
    value = Number(text.slice(i, end));
  }
  shape.targets.push(value);
  shape.pieces.push(from, i);
  from = end;
  return end;
}

function closeBraces(text: string, i: number, n: number): number {
  for (let k = 0; k < n; k++) {
    i = spaceEnd(text, i);
    if (text.charCodeAt(i) !== 0x7d) return -1;
    i++;
  }
  return i;
}

/** The kind of the statement {@link terminalEnd} last read. */
let terminalKind: TextTerminal = 'fixed';

/** A verdict, verdict map or dnat statement at `i` with its constants cut: its end ({@link terminalKind} says which), or -1. */
function terminalEnd(text: string, i: number): number {
  VERDICT.lastIndex = i;
  if (VERDICT.test(text)) {
    terminalKind = 'verdict';
    return closeAfterLiteral(text, VERDICT.lastIndex, 2, true);
  }
  DNAT.lastIndex = i;
  if (DNAT.test(text)) {
    terminalKind = 'dnat';
    let j = literal(text, DNAT.lastIndex, false);
    if (j < 0) return -1;
    DNAT_PORT.lastIndex = j;
    if (DNAT_PORT.test(text)) {
      j = literal(text, DNAT_PORT.lastIndex, false);
      if (j < 0) return -1;
    } else shape.targets.push(undefined);
    return closeBraces(text, j, 2);
  }
  VMAP.lastIndex = i;
  if (!VMAP.test(text)) return -1;
  terminalKind = 'vmap';
  let j = skipValue(text, VMAP.lastIndex);
  if (j < 0) return -1;
  VMAP_DATA.lastIndex = spaceEnd(text, j);
  if (!VMAP_DATA.test(text)) return -1;
  j = VMAP_DATA.lastIndex;
  for (let n = 1; ; n++) {
    if (n > MAX_ELEMENTS || text.charCodeAt(j) !== 0x5b /* [ */) return -1;
    j = skipValue(text, spaceEnd(text, j + 1));
    if (j < 0) return -1;
    ELEMENT_VERDICT.lastIndex = spaceEnd(text, j);
    if (!ELEMENT_VERDICT.test(text)) return -1;
    j = closeAfterLiteral(text, ELEMENT_VERDICT.lastIndex, 2, true);
    if (j < 0) return -1;
    j = spaceEnd(text, j);
    if (text.charCodeAt(j) !== 0x5d) return -1;
    j = spaceEnd(text, j + 1);
    const c = text.charCodeAt(j);
    if (c === 0x5d) break;
    if (c !== 0x2c) return -1;
    j = spaceEnd(text, j + 1);
  }
  return closeBraces(text, j + 1, 3);
}

/** Whether the shape's pieces are, character for character, `pieces` (a tied rule's, as strings). */
export function samePieces(s: TextShape, pieces: readonly string[]): boolean {
  const at = s.pieces;
  if (at.length !== pieces.length * 2) return false;
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k]!;
    if (at[2 * k + 1]! - at[2 * k]! !== p.length || !s.text.startsWith(p, at[2 * k]!)) return false;
  }
  return true;
}

/** The shape's pieces as strings (to keep, for {@link samePieces}). */
export function shapePieces(s: TextShape): string[] {
  const out: string[] = [];
  for (let k = 0; k < s.pieces.length; k += 2) out.push(s.text.slice(s.pieces[k]!, s.pieces[k + 1]!));
  return out;
}

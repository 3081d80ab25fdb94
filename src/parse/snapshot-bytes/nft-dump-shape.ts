/**
 * Which tables an `nft -j` dump declares, read from its text or straight from the escaped
 * bytes of the snapshot literal holding it. On an iptables-nft host the dump only repeats the
 * tables iptables-save printed: knowing that without decoding 20 MB of JSON text is most of a
 * one-flow explain's load (issue 8).
 *
 * @module
 */
import { decodeLiteralPart, isCharStart } from './json-string-literal.js';

/** What decides whether an nft dump can be passed over: its tables, and that it is whole. */
export interface NftDumpShape {
  /** `family name` of each table object, in order. */
  declared: string[];
  /** It begins as an `nft -j` document and is not cut short. */
  whole: boolean;
}

const TABLE_DECLARATION = /\{\s*"table"\s*:\s*\{\s*"family"\s*:\s*"([^"\\]*)"\s*,\s*"name"\s*:\s*"([^"\\]*)"/g;
const ANY_TABLE_OBJECT = /"table"\s*:\s*\{/g;
const DOCUMENT_START = /^\s*\{\s*"nftables"\s*:\s*\[/;
const DOCUMENT_END = /\]\s*\}\s*$/;

/**
 * The shape of a dump's text; null when some table object is not one nft prints (family,
 * then name), so that only the parser can say what it holds.
 */
export function nftDumpShape(text: string): NftDumpShape | null {
  const declared = [...text.matchAll(TABLE_DECLARATION)];
  if (declared.length !== (text.match(ANY_TABLE_OBJECT) ?? []).length) return null;
  return { declared: declared.map((m) => `${m[1]} ${m[2]}`), whole: DOCUMENT_START.test(text.slice(0, 64)) && DOCUMENT_END.test(text.slice(-64)) };
}

/** `\"table\"`: a quote of the text is `\"` in the literal (no `\u` escape, see below). */
const ESCAPED_TABLE_KEY = Buffer.from('\\"table\\"');
/** Searched from its third byte: backslashes are everywhere in escaped JSON, which slows a search starting with one. */
const KEY_TAIL = ESCAPED_TABLE_KEY.subarray(2);
/** Bytes decoded around a table object to match it: enough for nft's names (at most 256 characters). */
const BEFORE = 256;
const AFTER = 2048;
/** Bytes decoded at each end of the text to test DOCUMENT_START and DOCUMENT_END on 64 characters. */
const END_WINDOW = 1024;

/**
 * {@link nftDumpShape} of the text held by the literal bytes [start, end) (between the quotes,
 * already checked valid), decoding only a window around each table object. Undefined when
 * that cannot be decided so (a `\u` escape could spell "table"; an odd layout): decode it all.
 */
export function escapedNftDumpShape(bytes: Uint8Array, start: number, end: number, unicodeEscape: boolean): NftDumpShape | null | undefined {
  if (unicodeEscape) return undefined;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared: string[] = [];
  let at = nextKey(buf, start);
  while (at >= 0 && at + ESCAPED_TABLE_KEY.length <= end) {
    // A quote of the text is always an escape token here, so `at` starts a character.
    if (opensObject(buf, at + ESCAPED_TABLE_KEY.length, end)) {
      const from = charStartAtOrBefore(buf, start, Math.max(start, at - BEFORE));
      const to = charStartAtOrAfter(buf, start, end, Math.min(end, at + AFTER));
      const text = decodeLiteralPart(buf, from, to);
      // The key's place in the window: what comes before it, decoded alone.
      const key = decodeLiteralPart(buf, from, at).length;
      let covering: RegExpMatchArray | undefined;
      for (const m of text.matchAll(TABLE_DECLARATION)) {
        if (m.index! <= key && key < m.index! + m[0].length) covering = m;
      }
      // A table object that is not a plain declaration, or one wider than the window: the parser decides.
      if (!covering) return undefined;
      declared.push(`${covering[1]} ${covering[2]}`);
    }
    // The closing quote may open the next key (`"table"table"`).
    at = nextKey(buf, at + ESCAPED_TABLE_KEY.length - 2);
  }
  const head = decodeLiteralPart(buf, start, charStartAtOrAfter(buf, start, end, Math.min(end, start + END_WINDOW)));
  const tail = decodeLiteralPart(buf, charStartAtOrBefore(buf, start, Math.max(start, end - END_WINDOW)), end);
  return { declared, whole: DOCUMENT_START.test(head.slice(0, 64)) && DOCUMENT_END.test(tail.slice(-64)) };
}

/** The next `\"table\"` at or after `from`. */
function nextKey(buf: Buffer, from: number): number {
  let tail = buf.indexOf(KEY_TAIL, from + 2);
  while (tail >= 0 && (buf[tail - 2] !== 0x5c || buf[tail - 1] !== 0x22)) tail = buf.indexOf(KEY_TAIL, tail + 1);
  return tail < 0 ? -1 : tail - 2;
}

/**
 * After a `"table"` key: could `\s*:\s*\{` follow in the text? Exact for ASCII; a byte
 * above 0x7f may be a Unicode space, so it is skipped as one (the window decides then).
 */
function opensObject(buf: Buffer, from: number, end: number): boolean {
  let colon = false;
  let i = from;
  while (i < end) {
    const c = buf[i]!;
    if (c === 0x20 || c >= 0x80) i++;
    else if (c === 0x5c) {
      // \t \n \r \f are spaces of the text; any other escape is not.
      const e = buf[i + 1];
      if (e !== 0x74 && e !== 0x6e && e !== 0x72 && e !== 0x66) return false;
      i += 2;
    } else if (c === 0x3a && !colon) {
      colon = true;
      i++;
    } else return colon && c === 0x7b;
  }
  return false;
}

function charStartAtOrBefore(buf: Buffer, start: number, at: number): number {
  return isCharStart(buf, start, at) ? at : at - 1;
}

function charStartAtOrAfter(buf: Buffer, start: number, end: number, at: number): number {
  return at >= end || isCharStart(buf, start, at) ? at : at + 1;
}

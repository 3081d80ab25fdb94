/**
 * A snapshot file's bytes as JSON text without its long `"content"` strings: each is checked
 * where it lies and replaced by a placeholder. Its text is decoded only when something reads
 * it (issue 8: the dumps are 95 % of a snapshot, and a one-flow explain on an iptables-nft host
 * never reads the nft copy; every megabyte not decoded is ~5 ms of page faults not paid).
 *
 * @module
 */
import { scanStringLiteral } from './json-string-literal.js';

/** A string set aside: the bytes between its quotes. */
export interface AsideLiteral {
  start: number;
  end: number;
  unicodeEscape: boolean;
}

export interface SetAside {
  json: string;
  aside: AsideLiteral[];
  /** The placeholder standing for aside[i] in `json` (a string no snapshot holds: it has a nonce). */
  placeholder: (i: number) => string;
}

/** `"content": "` as snapshotToJson writes it. Its middle quote follows a letter, so it is never inside a string. */
const CONTENT_KEY = Buffer.from('"content": "');
/** Shorter strings are parsed with the rest: setting them aside saves nothing worth the bookkeeping. */
export const SET_ASIDE_MIN = 1 << 20;

/**
 * The JSON text with every `"content"` string of at least `min` bytes set aside, or null when
 * one of them is not a valid string (the caller parses the whole text, which says where).
 */
export function setAsideContents(bytes: Uint8Array, nonce: string, min = SET_ASIDE_MIN): SetAside | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const placeholder = (i: number) => `\u0000set aside ${nonce} ${i}`;
  const aside: AsideLiteral[] = [];
  const parts: string[] = [];
  let copied = 0;
  let at = buf.indexOf(CONTENT_KEY);
  while (at >= 0) {
    const start = at + CONTENT_KEY.length;
    // A string holds no raw newline: one that ends its line early is short, left to the parser
    // (and the key cannot occur inside a string, so the search goes on from here).
    const newline = buf.indexOf(0x0a, start);
    // A key quote after a backslash is not a key of the snapshot (the JSON is wrong there anyway): also left to the parser.
    if ((newline < 0 ? buf.length : newline) - start < min || buf[at - 1] === 0x5c) {
      at = buf.indexOf(CONTENT_KEY, start);
      continue;
    }
    const literal = scanStringLiteral(buf, start);
    if (literal === null) return null;
    if (literal.end - start >= min) {
      parts.push(buf.toString('utf8', copied, start - 1), JSON.stringify(placeholder(aside.length)));
      aside.push({ start, end: literal.end, unicodeEscape: literal.unicodeEscape });
      copied = literal.end + 1;
    }
    at = buf.indexOf(CONTENT_KEY, literal.end + 1);
  }
  parts.push(buf.toString('utf8', copied));
  return { json: parts.join(''), aside, placeholder };
}

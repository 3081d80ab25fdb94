/**
 * A named set of plain addresses and prefixes (IPv4 or IPv6) read where it lies in checked dump
 * text ({@link itemSpans}; issue 8). JSON.parse makes a 200,000-prefix country blocklist ~600,000
 * objects (element, prefix, address string) and the parser 200,000 SetElements more, all to
 * become the two bound lists an address match reads. Here the elements go straight into those
 * lists; the elements as objects are built only when something else asks for them, and are
 * then exactly what the whole parse gives.
 *
 * Only the form nft prints is read so: each element a string "a.b.c.d" or "a.b.c.d/len", or
 * {"prefix": {"addr": "a.b.c.d", "len": n}}, that {@link readIpv4Prefix} accepts (IPv6: that
 * the general reader of values, {@link atom} and {@link prefixRange}, accepts), or one of
 * these wrapped with properties ({"elem": {"val": …, "timeout": …, "expires": …}}, as a
 * `flags timeout` set of CrowdSec's bans prints), and the set naming `elem` once. Anything
 * else answers null and the item is parsed whole, as before.
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import type { Ordinal } from '../../model/interval-set.js';
import { readIpv4Prefix } from '../ipv4-prefix.js';
import { numberEnd, spaceEnd, stringEnd, valueEnd } from './item-spans.js';
import { setElementOf } from './set-element.js';
import type { Json, NftElem, NftSet } from './types.js';
import { atom, prefixRange } from './values.js';

/** A set's elements as half-open ranges [los[k], his[k]), in the set's order: numbers for IPv4, bigints for IPv6. */
export interface AddressBounds {
  family: Family;
  los: Ordinal[];
  his: Ordinal[];
  /**
   * IPv6 lists are checked for their shape when the dump is read and their addresses parsed
   * (by ipaddr.js, ~1.5 µs each) when a match first reads them: an IPv4 flow's explain never
   * does (see {@link settledBounds}). Where the element list lies, until then; `failed` when an
   * address was not one.
   */
  pending?: { text: string; from: number; limit: number } | 'failed';
}

export interface AddressSetText {
  /** The item's text with its element list emptied (`"elem": []`), for the usual reader. */
  rest: string;
  /** Where the element list (the JSON array) lies in the text: [elemStart, elemEnd). */
  elemStart: number;
  elemEnd: number;
  bounds: AddressBounds;
}

const SET_HEAD = /\{\s*"set"\s*:\s*\{/y;
/** One reading at a time: an element's [lo, hi) is written here (readIpv4Prefix's numbers, or IPv6 bigints). */
const ONE = new Float64Array(2);
let lo6 = 0n;
let hi6 = 0n;

/**
 * How a list's addresses are read: as IPv4 into {@link ONE}, as IPv6 into lo6/hi6, or (an
 * IPv6 list when the dump is read) only checked to hold no escape: see {@link AddressBounds.pending}.
 */
type Reading = 'ipv4' | 'ipv6' | 'ipv6-shape';

/**
 * The set item at [start, end) of checked text read this way, or null (not a set, not only
 * plain addresses of one family, or not in the form nft prints: parse it whole).
 */
export function readAddressSetText(text: string, start: number, end: number, limit: number): AddressSetText | null {
  SET_HEAD.lastIndex = start;
  if (!SET_HEAD.test(text) || SET_HEAD.lastIndex > end) return null;
  let i = spaceEnd(text, SET_HEAD.lastIndex);
  let elemStart = -1;
  let elemEnd = -1;
  let bounds: AddressBounds | null = null;
  if (text.charCodeAt(i) === 0x7d /* } */) return null;
  for (;;) {
    const keyEnd = stringEnd(text, i);
    const isElem = keyEnd < 0 ? null : plainKeyIs(text, i, keyEnd, 'elem');
    if (isElem === null) return null;
    i = spaceEnd(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a /* : */) return null;
    i = spaceEnd(text, i + 1);
    if (isElem) {
      // Named twice, the whole parse keeps the last: not this reader's case.
      if (bounds !== null) return null;
      elemStart = i;
      // IPv4 first (most big sets); an IPv6 list fails it at its first element.
      bounds = { family: 'ipv4', los: [], his: [] };
      i = readElements(text, elemStart, bounds, 'ipv4', limit);
      if (i < 0) {
        bounds = { family: 'ipv6', los: [], his: [], pending: { text, from: elemStart, limit } };
        i = readElements(text, elemStart, bounds, 'ipv6-shape', limit);
      }
      elemEnd = i;
    } else i = valueEnd(text, i, limit);
    if (i < 0) return null;
    i = spaceEnd(text, i);
    const c = text.charCodeAt(i);
    if (c === 0x7d) break;
    if (c !== 0x2c /* , */) return null;
    i = spaceEnd(text, i + 1);
  }
  if (bounds === null) return null;
  // The item holds the set alone (`{"set": {…}}`), as the reader expects of it.
  i = spaceEnd(text, i + 1);
  if (text.charCodeAt(i) !== 0x7d || i + 1 !== end) return null;
  return { rest: `${text.slice(start, elemStart)}[]${text.slice(elemEnd, end)}`, elemStart, elemEnd, bounds };
}

/**
 * Whether the key literal [from, to) is `name`; null when it holds an escape, which could
 * spell any key once decoded.
 */
function plainKeyIs(text: string, from: number, to: number, name: string): boolean | null {
  for (let k = from + 1; k < to - 1; k++) if (text.charCodeAt(k) === 0x5c /* \ */) return null;
  return to - from === name.length + 2 && text.startsWith(name, from + 1);
}

/** The element list at `i` into `out` (nothing, for a shape reading): the index after its `]`, or -1. */
function readElements(text: string, i: number, out: AddressBounds, reading: Reading, limit: number): number {
  if (text.charCodeAt(i) !== 0x5b /* [ */) return -1;
  i = spaceEnd(text, i + 1);
  if (text.charCodeAt(i) === 0x5d /* ] */) return i + 1;
  for (;;) {
    i = readElement(text, i, reading, limit);
    if (i < 0) return -1;
    if (reading === 'ipv4') {
      out.los.push(ONE[0]!);
      out.his.push(ONE[1]!);
    } else if (reading === 'ipv6') {
      out.los.push(lo6);
      out.his.push(hi6);
    }
    i = spaceEnd(text, i);
    const c = text.charCodeAt(i);
    if (c === 0x5d) return i + 1;
    if (c !== 0x2c) return -1;
    i = spaceEnd(text, i + 1);
  }
}

/** One element at `i` into {@link ONE}, wrapped with properties or not: the index after it, or -1. */
function readElement(text: string, i: number, reading: Reading, limit: number): number {
  const printed = printedWrapped(text, i, reading);
  if (printed >= 0) return printed;
  const wrapped = token(text, token(text, token(text, i, '{'), '"elem"'), ':');
  return wrapped < 0 ? plainElement(text, i, reading) : wrappedElement(text, wrapped, reading, limit);
}

/**
 * The address text [from, to) (a prefix's length apart, or null when the text may carry one)
 * read as `reading` says: false when it is not one, as the general reader says.
 */
function readAddress(text: string, reading: Reading, len: number | null, from: number, to: number): boolean {
  if (reading === 'ipv4') return readIpv4Prefix(text, len, ONE, from, to);
  // An escape would spell the address only once decoded: the whole parse's to read.
  for (let k = from; k < to; k++) if (text.charCodeAt(k) === 0x5c) return false;
  if (reading === 'ipv6-shape') return true;
  const s = text.slice(from, to);
  const r = len === null ? atom('addr', 'ipv6', s) : prefixRange('ipv6', s, len);
  if (r === null) return false;
  lo6 = r[0] as bigint;
  hi6 = r[1] as bigint;
  return true;
}

/**
 * The properties object of a wrapped element at `i` (after `{"elem":`), its `val` into {@link
 * ONE}: the index after the wrapper's `}`, or -1. Only `val` says what the set holds; the
 * others (timeout, expires, comment, counter) are passed over. A `val` named twice or not at
 * all is the whole parse's to read (it keeps the last, or reports none).
 */
function wrappedElement(text: string, i: number, reading: Reading, limit: number): number {
  if (text.charCodeAt(i) !== 0x7b /* { */) return -1;
  i = spaceEnd(text, i + 1);
  let read = false;
  if (text.charCodeAt(i) === 0x7d) return -1;
  for (;;) {
    const keyEnd = stringEnd(text, i);
    const isVal = keyEnd < 0 ? null : plainKeyIs(text, i, keyEnd, 'val');
    if (isVal === null) return -1;
    i = token(text, spaceEnd(text, keyEnd), ':');
    if (i < 0) return -1;
    if (isVal) {
      if (read) return -1;
      read = true;
      i = plainElement(text, i, reading);
    } else i = skipValue(text, i, limit);
    if (i < 0) return -1;
    i = spaceEnd(text, i);
    const c = text.charCodeAt(i);
    if (c === 0x7d) break;
    if (c !== 0x2c) return -1;
    i = spaceEnd(text, i + 1);
  }
  i = token(text, i, '}');
  if (!read || i < 0 || text.charCodeAt(i) !== 0x7d) return -1;
  return i + 1;
}

/** A wrapped address element as nft prints it, up to its address. */
const WRAPPED_HEAD = '{"elem": {"val": "';

/**
 * A wrapped address element spaced exactly as nft prints it, its other properties whole
 * numbers (`{"elem": {"val": "a.b.c.d", "timeout": 14400, "expires": 14388}}`: every ban of a
 * CrowdSec set), read by comparisons instead of a token at a time: the index after it, or -1
 * for anything else, which {@link wrappedElement} then reads token by token (and answers alike).
 */
function printedWrapped(text: string, i: number, reading: Reading): number {
  if (!text.startsWith(WRAPPED_HEAD, i)) return -1;
  const addrStart = i + WRAPPED_HEAD.length;
  const addrEnd = text.indexOf('"', addrStart);
  if (addrEnd < 0 || !readAddress(text, reading, null, addrStart, addrEnd)) return -1;
  let k = addrEnd + 1;
  for (;;) {
    if (text.startsWith('}}', k)) return k + 2;
    if (!text.startsWith(', "', k)) return -1;
    const keyStart = k + 3;
    const keyEnd = text.indexOf('"', keyStart);
    if (keyEnd < 0 || !text.startsWith('": ', keyEnd)) return -1;
    // A second val (or one behind an escape) is the token reader's to refuse.
    for (let c = keyStart; c < keyEnd; c++) if (text.charCodeAt(c) === 0x5c) return -1;
    if (keyEnd - keyStart === 3 && text.startsWith('val', keyStart)) return -1;
    const digits = keyEnd + 3;
    k = digits;
    for (let c = text.charCodeAt(k); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++k));
    if (k === digits) return -1;
  }
}

/**
 * The end of the (checked) JSON value at `i`: a number (a ban's timeout and expiry) without
 * the depth stack {@link valueEnd} makes per call.
 */
function skipValue(text: string, i: number, limit: number): number {
  const c = text.charCodeAt(i);
  return c === 0x2d || (c >= 0x30 && c <= 0x39) ? numberEnd(text, i) : valueEnd(text, i, limit);
}

/** One element, not wrapped, at `i`: the index after it, or -1. */
function plainElement(text: string, i: number, reading: Reading): number {
  // readIpv4Prefix reads digits, dots and a slash only, and readAddress refuses a backslash:
  // a string with an escape (a backslash before the quote found) is never taken for an address.
  if (text.charCodeAt(i) === 0x22 /* " */) {
    const close = text.indexOf('"', i + 1);
    return close >= 0 && readAddress(text, reading, null, i + 1, close) ? close + 1 : -1;
  }
  const printed = printedPrefix(text, i, reading);
  if (printed >= 0) return printed;
  i = token(text, i, '{');
  i = token(text, i, '"prefix"');
  i = token(text, i, ':');
  i = token(text, i, '{');
  i = token(text, i, '"addr"');
  i = token(text, i, ':');
  if (i < 0 || text.charCodeAt(i) !== 0x22) return -1;
  const addrStart = i + 1;
  const addrEnd = text.indexOf('"', addrStart);
  if (addrEnd < 0) return -1;
  i = spaceEnd(text, addrEnd + 1);
  i = token(text, i, ',');
  i = token(text, i, '"len"');
  i = token(text, i, ':');
  if (i < 0) return -1;
  // A length as nft prints it (no fraction or exponent).
  const lenStart = i;
  let len = 0;
  for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i)) len = len * 10 + (c - 0x30);
  const next = text.charCodeAt(i);
  if (i === lenStart || i - lenStart > lengthDigits(reading) || next === 0x2e || next === 0x65 || next === 0x45) return -1;
  i = spaceEnd(text, i);
  i = token(text, i, '}');
  if (i < 0 || text.charCodeAt(i) !== 0x7d) return -1;
  return readAddress(text, reading, len, addrStart, addrEnd) ? i + 1 : -1;
}

/** A prefix element as nft prints it, up to its address and after its length. */
const PRINTED_HEAD = '{"prefix": {"addr": "';
const PRINTED_MIDDLE = '", "len": ';

/**
 * A prefix element at `i` spaced exactly as nft prints it (a 200,000-prefix country set is all
 * these), read with three comparisons instead of a token at a time: the index after it, or -1
 * for anything else, which {@link readElement} then reads token by token (and answers alike).
 */
function printedPrefix(text: string, i: number, reading: Reading): number {
  if (!text.startsWith(PRINTED_HEAD, i)) return -1;
  const addrStart = i + PRINTED_HEAD.length;
  const addrEnd = text.indexOf('"', addrStart);
  if (addrEnd < 0 || !text.startsWith(PRINTED_MIDDLE, addrEnd)) return -1;
  const lenStart = addrEnd + PRINTED_MIDDLE.length;
  let k = lenStart;
  let len = 0;
  const digits = lengthDigits(reading);
  for (let c = text.charCodeAt(k); c >= 0x30 && c <= 0x39 && k - lenStart < digits; c = text.charCodeAt(++k)) len = len * 10 + (c - 0x30);
  if (k === lenStart || !text.startsWith('}}', k)) return -1;
  return readAddress(text, reading, len, addrStart, addrEnd) ? k + 2 : -1;
}

/** How many digits a prefix length may have as nft prints it: up to 32, or up to 128. */
function lengthDigits(reading: Reading): number {
  return reading === 'ipv4' ? 2 : 3;
}

/** `s` at `i` and the space after it: the index after both, or -1. */
function token(text: string, i: number, s: string): number {
  return i >= 0 && text.startsWith(s, i) ? spaceEnd(text, i + s.length) : -1;
}

const boundsOfSet = new WeakMap<NftSet, AddressBounds>();

/**
 * A set read by {@link readAddressSetText}: its bounds kept for {@link addressBounds}, its
 * `elem` parsed from [from, to) of the text when first read.
 */
export function keepAddressSet(set: NftSet, bounds: AddressBounds, text: string, from: number, to: number): void {
  boundsOfSet.set(set, bounds);
  const settle = (elem: NftElem[]): void => {
    Object.defineProperty(set, 'elem', { value: elem, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(set, 'elem', {
    enumerable: true,
    configurable: true,
    get() {
      // What the whole parse's reader makes of such elements (no map data).
      const elem = (JSON.parse(text.slice(from, to)) as Json[]).map((e, k): NftElem => setElementOf(e, set.path, k));
      settle(elem);
      return elem;
    },
    set: settle,
  });
}

/** The bounds of a set's elements as addresses of `family`, when it was read from its text that way. */
export function addressBounds(set: NftSet, family: Family): AddressBounds | undefined {
  const b = boundsOfSet.get(set);
  return b?.family === family ? settledBounds(b) : undefined;
}

/**
 * `b` with its IPv6 addresses parsed, when they were left for later; undefined when one of them
 * is not an address (the general reader then reads the elements, and says which).
 */
export function settledBounds(b: AddressBounds): AddressBounds | undefined {
  const p = b.pending;
  if (p === undefined) return b;
  if (p === 'failed') return undefined;
  const read: AddressBounds = { family: b.family, los: [], his: [] };
  if (readElements(p.text, p.from, read, 'ipv6', p.limit) < 0) {
    b.pending = 'failed';
    return undefined;
  }
  b.los = read.los;
  b.his = read.his;
  delete b.pending;
  return b;
}

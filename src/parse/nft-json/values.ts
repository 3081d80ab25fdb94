/**
 * Right-hand sides of nft matches as sets over a value domain: addresses, prefixes,
 * ranges, anonymous sets, `elem` wrappers, symbolic names. Each value kind knows its
 * domain and how its values are spelled; lowering maps the resulting set onto a
 * packet-space dimension afterwards.
 *
 * @module
 */
import { type Family, addrDomain, cidrSet, parseAddr, parseAddrSet, parseCidr } from '../../model/addr.js';
import type { Domain, Ordinal } from '../../model/interval-set.js';
import * as I from '../../model/interval-set.js';
import type { IntervalSet } from '../../model/interval-set.js';
import { type DimSet, IFACE_DOMAIN } from '../../model/packet-set.js';
import { protocolNumber } from '../../model/protocols.js';
import { readIpv4Prefix } from '../ipv4-prefix.js';
import type { ValueKind } from './selector.js';
import {
  ETHER_TYPES,
  FIB_TYPES,
  ICMP_CODES,
  ICMP_TYPES,
  ICMPV6_CODES,
  ICMPV6_TYPES,
  NFPROTOS,
  PKT_TYPES,
  SERVICES,
} from './symbols.js';
import { type Json, isObject, soleKey } from './types.js';

/** A half-open range [lo, hi) of some domain. */
export type Range = readonly [Ordinal, Ordinal];

/** Where {@link atom} reads a dotted quad (one address, so the range of one). */
const QUAD = new Float64Array(2);
const BYTE: Domain<number> = { min: 0, max: 256 };
const WORD: Domain<number> = { min: 0, max: 65536 };

export function kindDomain(kind: ValueKind, family: Family): Domain<Ordinal> {
  switch (kind) {
    case 'addr':
    case 'fib-type':
    case 'pkttype':
      return kind === 'addr' ? (addrDomain(family) as Domain<Ordinal>) : BYTE;
    case 'port':
    case 'ethertype':
      return WORD;
    case 'iface':
      return IFACE_DOMAIN;
    default:
      return BYTE;
  }
}

const NAMED: Partial<Record<ValueKind, Readonly<Record<string, number>>>> = {
  'icmp-type': ICMP_TYPES,
  'icmpv6-type': ICMPV6_TYPES,
  'icmp-code': ICMP_CODES,
  'icmpv6-code': ICMPV6_CODES,
  nfproto: NFPROTOS,
  ethertype: ETHER_TYPES,
  pkttype: PKT_TYPES,
  'fib-type': FIB_TYPES,
  port: SERVICES,
};

/**
 * Append the ranges a right-hand value covers to `out`. Returns null when every part was
 * understood, else the first part that was not (rendered), so the caller can name it.
 */
export function valueRanges(kind: ValueKind, family: Family, v: Json, out: Range[]): string | null {
  if (Array.isArray(v)) {
    for (const x of v) {
      const bad = valueRanges(kind, family, x, out);
      if (bad !== null) return bad;
    }
    return null;
  }
  if (isObject(v)) {
    const key = soleKey(v);
    const b = key !== null ? v[key] : undefined;
    if (key === 'set') return valueRanges(kind, family, Array.isArray(b) ? b : (b ?? null), out);
    if (key === 'elem' && isObject(b) && b['val'] !== undefined) return valueRanges(kind, family, b['val'], out);
    if (key === 'range' && Array.isArray(b) && b.length === 2) {
      const lo = atom(kind, family, b[0]!);
      const hi = atom(kind, family, b[1]!);
      if (!lo || !hi) return JSON.stringify(v);
      out.push([lo[0], hi[1]]);
      return null;
    }
    if (key === 'prefix' && kind === 'addr' && isObject(b) && typeof b['addr'] === 'string' && typeof b['len'] === 'number') {
      const r = prefixRange(family, b['addr'], b['len']);
      if (!r) return JSON.stringify(v);
      out.push(r);
      return null;
    }
    return JSON.stringify(v);
  }
  const r = atom(kind, family, v);
  if (!r) return JSON.stringify(v);
  out.push(r);
  return null;
}

/** nft's `{"prefix": {"addr", "len"}}` as the range of addresses it covers, or null (not one of `family`). */
export function prefixRange(family: Family, addr: string, len: number): Range | null {
  const c = parseCidr(`${addr}/${len}`);
  if (!c || c.family !== family) return null;
  const s = cidrSet(c);
  return [s[0]!, s[1]!];
}

/** One scalar value as the range it covers, or null. */
export function atom(kind: ValueKind, family: Family, v: Json): Range | null {
  if (kind === 'addr') {
    if (typeof v !== 'string') return null;
    if (family === 'ipv4') {
      // Fast path for dotted quads, read without a regex: a kube-proxy dump holds tens of
      // thousands of them (issue 8). Other spellings, and invalid quads, go to the parsers below.
      if (readIpv4Prefix(v, 32, QUAD)) return [QUAD[0]!, QUAD[1]!];
    }
    const s = v.includes('/') || v.includes('-') ? parseAddrSet(v, family) : null;
    if (s) return s.length === 2 ? [s[0]!, s[1]!] : null;
    const a = parseAddr(v);
    if (!a || a.family !== family) return null;
    return typeof a.value === 'number' ? [a.value, a.value + 1] : [a.value, a.value + 1n];
  }
  if (kind === 'iface') {
    if (typeof v !== 'string') return null;
    return ifaceRange(v);
  }
  const n = scalarNumber(kind, v);
  if (n === null) return null;
  const dom = kindDomain(kind, family) as Domain<number>;
  if (n < dom.min || n >= dom.max) return null;
  return [n, n + 1];
}

/** A numeric value of a non-address kind: a number, a decimal/hex string, or a symbolic name. */
export function scalarNumber(kind: ValueKind, v: Json): number | null {
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  if (typeof v !== 'string') return null;
  if (/^\d+$/.test(v)) return Number(v);
  if (/^0x[0-9a-f]+$/i.test(v)) return parseInt(v, 16);
  if (kind === 'proto') return protocolNumber(v);
  const named = NAMED[kind]?.[v.toLowerCase()];
  return named ?? null;
}

/**
 * Interface names: a trailing `*` is nft's wildcard (every name with that prefix);
 * `\*` is a literal star.
 */
export function ifaceRange(name: string): Range {
  if (name.endsWith('\\*')) {
    const literal = name.slice(0, -2) + '*';
    return [literal, literal + '\u0000'];
  }
  if (name.endsWith('*')) {
    const prefix = name.slice(0, -1);
    if (prefix === '') return [IFACE_DOMAIN.min, IFACE_DOMAIN.max];
    const last = prefix.charCodeAt(prefix.length - 1);
    return [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)];
  }
  return [name, name + '\u0000'];
}

/** ICMP types and codes live in the destination-port dimension as `type << 8 | code`. */
export function icmpToDport(kind: ValueKind, values: IntervalSet<number>): DimSet {
  const pairs: [number, number][] = [];
  if (kind === 'icmp-type' || kind === 'icmpv6-type') {
    // A type range covers every code of each type.
    for (let k = 0; k < values.length; k += 2) pairs.push([values[k]! * 256, values[k + 1]! * 256]);
  } else {
    for (let t = 0; t < 256; t++) for (let k = 0; k < values.length; k += 2) pairs.push([t * 256 + values[k]!, t * 256 + values[k + 1]!]);
  }
  return I.fromRanges(pairs);
}

export const ICMP_KINDS: ReadonlySet<ValueKind> = new Set(['icmp-type', 'icmpv6-type', 'icmp-code', 'icmpv6-code']);


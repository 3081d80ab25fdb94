/**
 * IP addresses as integers (IPv4 as `number`, IPv6 as `bigint`), their sets, and the
 * minimal CIDR list of a set. Text parsing is delegated to ipaddr.js; the arithmetic is ours.
 *
 * @module
 */
import ipaddr from 'ipaddr.js';
import { type Domain, type IntervalSet, fromRanges, range, ranges } from './interval-set.js';

export type Family = 'ipv4' | 'ipv6';
export const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

/** An address of either family: IPv4 in a `number`, IPv6 in a `bigint`. */
export type AddrValue = number | bigint;

/** A set of addresses of one family. */
export type AddrSet = IntervalSet<number> | IntervalSet<bigint>;

export const IPV4_DOMAIN: Domain<number> = { min: 0, max: 2 ** 32 };
export const IPV6_DOMAIN: Domain<bigint> = { min: 0n, max: 1n << 128n };

export function addrDomain(family: Family): Domain<number> | Domain<bigint> {
  return family === 'ipv4' ? IPV4_DOMAIN : IPV6_DOMAIN;
}

export function bitsOf(family: Family): number {
  return family === 'ipv4' ? 32 : 128;
}

export interface ParsedAddr {
  family: Family;
  value: AddrValue;
}

export interface ParsedCidr {
  family: Family;
  /** First address of the prefix (host bits cleared, as the kernel does for `-s 10.1.2.3/8`). */
  base: AddrValue;
  prefixLength: number;
}

/**
 * An IPv6 address's eight 16-bit groups as one integer: four BigInts of 32 bits, not sixteen of
 * 8 (no closure either: the bundle names every function made, per call).
 */
function ipv6Value(p: readonly number[]): bigint {
  return (BigInt(p[0]! * 65536 + p[1]!) << 96n) | (BigInt(p[2]! * 65536 + p[3]!) << 64n) | (BigInt(p[4]! * 65536 + p[5]!) << 32n) | BigInt(p[6]! * 65536 + p[7]!);
}

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parse one address; null when the text is not an IPv4 or IPv6 address. */
export function parseAddr(text: string): ParsedAddr | null {
  // Dotted quads are most of what dumps hold (a 50,000-address ipset): no library round trip.
  const quad = DOTTED_QUAD.exec(text);
  if (quad) {
    const [a, b, c, d] = [Number(quad[1]), Number(quad[2]), Number(quad[3]), Number(quad[4])];
    // Leading zeros are octal to ipaddr.js (and rejected below); keep that path for them.
    if (a <= 255 && b <= 255 && c <= 255 && d <= 255 && !/(^|\.)0\d/.test(text)) return { family: 'ipv4', value: ((a << 24) >>> 0) + (b << 16) + (c << 8) + d };
  }
  const cleaned = text.includes('%') ? text.slice(0, text.indexOf('%')) : text; // fe80::1%eth0
  if (cleaned.includes(':')) {
    // Only IPv6 has a colon. IPv6.parse throws exactly where IPv6.isValid is false; isValid and
    // parse together parsed every address three times (a 200,000-prefix IPv6 set: ~0.4 s; issue 8).
    let parsed: ipaddr.IPv6;
    try {
      parsed = ipaddr.IPv6.parse(cleaned);
    } catch {
      return null;
    }
    return { family: 'ipv6', value: ipv6Value(parsed.parts) };
  }
  // ipaddr.js accepts "1", "1.2" and octal forms as IPv4; firewall dumps only print dotted quads.
  if (!ipaddr.IPv4.isValidFourPartDecimal(cleaned)) return null;
  const [a, b, c, d] = ipaddr.IPv4.parse(cleaned).octets as [number, number, number, number];
  return { family: 'ipv4', value: ((a << 24) >>> 0) + (b << 16) + (c << 8) + d };
}

/**
 * Parse "addr", "addr/len" or "addr/mask" (iptables prints dotted masks for
 * non-contiguous masks in old versions). Null when malformed.
 */
export function parseCidr(text: string): ParsedCidr | null {
  const slash = text.indexOf('/');
  const addr = parseAddr(slash < 0 ? text : text.slice(0, slash));
  if (!addr) return null;
  const bits = bitsOf(addr.family);
  let prefixLength = bits;
  if (slash >= 0) {
    const suffix = text.slice(slash + 1);
    if (/^\d{1,3}$/.test(suffix)) prefixLength = Number(suffix);
    else {
      const mask = parseAddr(suffix);
      if (!mask || mask.family !== addr.family) return null;
      const len = maskToPrefixLength(mask.value, addr.family);
      if (len === null) return null;
      prefixLength = len;
    }
    if (prefixLength > bits) return null;
  }
  return { family: addr.family, base: clearHostBits(addr.value, prefixLength, addr.family), prefixLength };
}

function maskToPrefixLength(mask: AddrValue, family: Family): number | null {
  const bits = bitsOf(family);
  const m = BigInt(mask);
  for (let len = 0; len <= bits; len++) {
    const expected = len === 0 ? 0n : ((1n << BigInt(len)) - 1n) << BigInt(bits - len);
    if (expected === m) return len;
  }
  return null;
}

function clearHostBits(value: AddrValue, prefixLength: number, family: Family): AddrValue {
  if (family === 'ipv4') return prefixLength === 0 ? 0 : ((value as number) & (~0 << (32 - prefixLength))) >>> 0;
  const bits = bitsOf(family);
  const host = (1n << BigInt(bits - prefixLength)) - 1n;
  return BigInt(value) & ~host;
}

/** The set of addresses of a prefix. */
export function cidrSet(cidr: ParsedCidr): AddrSet {
  const size = 1n << BigInt(bitsOf(cidr.family) - cidr.prefixLength);
  if (cidr.family === 'ipv4') return range(cidr.base as number, (cidr.base as number) + Number(size));
  return range(cidr.base as bigint, (cidr.base as bigint) + size);
}

/** The unspecified address ("0.0.0.0", "::", and every other spelling of them: "0::0", "0:0:0:0:0:0:0:0"). */
export function isUnspecifiedAddr(text: string): boolean {
  const parsed = parseAddr(text);
  return parsed !== null && BigInt(parsed.value) === 0n;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d, however spelled); null otherwise. */
export function unmappedV4(addr: ParsedAddr): ParsedAddr | null {
  if (addr.family !== 'ipv6' || (addr.value as bigint) >> 32n !== 0xffffn) return null;
  return { family: 'ipv4', value: Number((addr.value as bigint) & 0xffffffffn) };
}

/** Set of one address. */
export function addrPointSet(addr: ParsedAddr): AddrSet {
  return addr.family === 'ipv4'
    ? range(addr.value as number, (addr.value as number) + 1)
    : range(addr.value as bigint, (addr.value as bigint) + 1n);
}

/** Set [from, to] (inclusive, as iprange and nft ranges write it). */
export function addrRangeSet(from: ParsedAddr, to: ParsedAddr): AddrSet {
  if (from.family === 'ipv4') return range(from.value as number, (to.value as number) + 1);
  return range(from.value as bigint, (to.value as bigint) + 1n);
}

/** Above this many free mask bits between set ones (2^16 ranges), a non-contiguous mask is not enumerated. */
export const MAX_MASK_GAP_BITS = 16;

/**
 * Addresses x with (x & mask) == (addr & mask), for any mask (iptables prints a
 * non-contiguous one as `1.2.0.4/255.255.0.255`; the kernel matches it bit by bit). The
 * free bits below the lowest set bit of the mask make each range; the free bits above it are
 * enumerated, one range per combination (issue 9). With more than {@link MAX_MASK_GAP_BITS}
 * of those, the set is the leading prefix of the mask, a superset: `exact` is false.
 */
export function maskedAddrSet(addr: ParsedAddr, mask: ParsedAddr): { set: AddrSet; exact: boolean } {
  const bits = bitsOf(addr.family);
  const m = BigInt(mask.value);
  const base = BigInt(addr.value) & m;
  const full = (1n << BigInt(bits)) - 1n;
  const toSet = (pairs: [bigint, bigint][]): AddrSet =>
    fromRanges(pairs.map(([lo, hi]) => (addr.family === 'ipv4' ? [Number(lo), Number(hi)] : [lo, hi])) as [number, number][]) as AddrSet;
  if (m === 0n) return { set: toSet([[0n, full + 1n]]), exact: true };
  let low = 0; // trailing free bits: each range spans 2^low addresses
  while (((m >> BigInt(low)) & 1n) === 0n) low++;
  const gaps: number[] = [];
  for (let b = low; b < bits; b++) if (((m >> BigInt(b)) & 1n) === 0n) gaps.push(b);
  if (gaps.length > MAX_MASK_GAP_BITS) {
    let lead = 0;
    while (lead < bits && ((m >> BigInt(bits - 1 - lead)) & 1n) === 1n) lead++;
    const size = 1n << BigInt(bits - lead);
    const start = base & ~(size - 1n);
    return { set: toSet([[start, start + size]]), exact: false };
  }
  const size = 1n << BigInt(low);
  const pairs: [bigint, bigint][] = [];
  for (let combo = 0; combo < 1 << gaps.length; combo++) {
    let v = base;
    for (let k = 0; k < gaps.length; k++) if ((combo >> k) & 1) v |= 1n << BigInt(gaps[k]!);
    pairs.push([v, v + size]);
  }
  return { set: toSet(pairs), exact: true };
}

/** "addr/dotted-or-colon mask" whose mask is not a prefix: the masked set, or null for any other text. */
export function parseMaskedAddr(text: string, family: Family): { set: AddrSet; exact: boolean } | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const addr = parseAddr(text.slice(0, slash));
  const mask = parseAddr(text.slice(slash + 1));
  if (!addr || !mask || addr.family !== family || mask.family !== family) return null;
  return maskedAddrSet(addr, mask);
}

/**
 * "a.b.c.d" or "a.b.c.d/len" as dumps print them, read without a regex, a match array or an
 * object per address (a 50,000-address blocklist, issue 8): the prefix's set, or undefined for
 * any other text (leading zeros, masks, ranges, IPv6), which {@link parseAddrSet} reads. Where
 * both read a text, they give the same set.
 */
export function quickIpv4Set(text: string): AddrSet | undefined {
  const n = text.length;
  let i = 0;
  let value = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (text.charCodeAt(i) !== 46 /* . */) return undefined;
      i++;
    }
    const start = i;
    let v = 0;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) v = v * 10 + (c - 48);
    const len = i - start;
    // A leading zero is octal to some readers: the general path decides those.
    if (len === 0 || len > 3 || v > 255 || (len > 1 && text.charCodeAt(start) === 48)) return undefined;
    value = value * 256 + v;
  }
  let prefix = 32;
  if (i < n) {
    if (text.charCodeAt(i) !== 47 /* / */) return undefined;
    const start = ++i;
    let v = 0;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) v = v * 10 + (c - 48);
    if (i !== n || i === start || i - start > 3 || v > 32) return undefined;
    prefix = v;
  }
  const size = 2 ** (32 - prefix);
  const base = value - (value % size); // host bits cleared, as the kernel does
  return range(base, base + size);
}

/** Parse a comma-free address expression: CIDR, mask form (any mask) or "a-b" range. */
export function parseAddrSet(text: string, family: Family): AddrSet | null {
  const dash = text.indexOf('-');
  if (dash > 0 && !text.includes('/')) {
    const from = parseAddr(text.slice(0, dash));
    const to = parseAddr(text.slice(dash + 1));
    if (!from || !to || from.family !== family || to.family !== family) return null;
    return addrRangeSet(from, to);
  }
  const cidr = parseCidr(text);
  if (!cidr || cidr.family !== family) {
    const masked = parseMaskedAddr(text, family);
    return masked?.exact ? masked.set : null;
  }
  return cidrSet(cidr);
}

export function formatAddr(value: AddrValue, family: Family): string {
  if (family === 'ipv4') {
    const v = value as number;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const bytes: number[] = [];
  let v = value as bigint;
  for (let k = 0; k < 16; k++) {
    bytes.unshift(Number(v & 255n));
    v >>= 8n;
  }
  return (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
}

/**
 * The minimal list of CIDR prefixes whose union is exactly the set: each range [lo, hi)
 * is split greedily into the largest aligned blocks, which is optimal for a single range,
 * and ranges of a normalized set never touch, so no two blocks of different ranges merge.
 */
export function toCidrs(set: AddrSet, family: Family): string[] {
  const out: string[] = [];
  for (const [lo, hi] of ranges(set as IntervalSet<number | bigint>)) pushPrefixes(lo, hi, family, out, Infinity);
  return out;
}

/**
 * At most `max` prefixes of the minimal CIDR list, and how many address ranges were not
 * reached. Stops early: a blocklist's complement has thousands of ranges, and evidence only
 * needs its start. `set` may be only the head of a bigger set of `rangeCount` ranges, as long
 * as it holds its first `max` ranges (each range gives one prefix or more).
 */
export function toCidrsLimited(set: AddrSet, family: Family, max: number, rangeCount = set.length / 2): { cidrs: string[]; omittedRanges: number } {
  const cidrs: string[] = [];
  const flat = set as IntervalSet<number | bigint>;
  let k = 0;
  for (; k < flat.length && cidrs.length < max; k += 2) {
    // A range cut in the middle counts as not reached.
    if (!pushPrefixes(flat[k]!, flat[k + 1]!, family, cidrs, max)) break;
  }
  return { cidrs, omittedRanges: rangeCount - k / 2 };
}

/**
 * The greedy prefixes of the range [lo, hi) pushed to `out` until it holds `max`: each is the
 * largest power-of-two block aligned at its start that fits below hi. Whether the range is done.
 * IPv4 in numbers: the BigInt steps allocated an object each, some 6 MB of a kube-proxy node's
 * audit (every decision and interface lists a few prefixes; issue 8). Addresses are below 2^32,
 * so every value is exact.
 */
function pushPrefixes(loRaw: number | bigint, hiRaw: number | bigint, family: Family, out: string[], max: number): boolean {
  if (typeof loRaw === 'number' && typeof hiRaw === 'number') {
    let lo = loRaw;
    while (lo < hiRaw && out.length < max) {
      // lo & -lo on 32 bits.
      let size = lo === 0 ? 4294967296 : (lo & -lo) >>> 0;
      while (lo + size > hiRaw) size /= 2;
      out.push(`${formatAddr(lo, 'ipv4')}/${size === 4294967296 ? 0 : Math.clz32(size) + 1}`);
      lo += size;
    }
    return lo >= hiRaw;
  }
  const bits = bitsOf(family);
  let lo = BigInt(loRaw);
  const hi = BigInt(hiRaw);
  while (lo < hi && out.length < max) {
    let size = lo === 0n ? 1n << BigInt(bits) : lo & -lo;
    while (lo + size > hi) size >>= 1n;
    const len = bits - (size.toString(2).length - 1);
    out.push(`${formatAddr(family === 'ipv4' ? Number(lo) : lo, family)}/${len}`);
    lo += size;
  }
  return lo >= hi;
}

/** Number of addresses in a set (exact, as bigint). */
export function addrCount(set: AddrSet): bigint {
  const flat = set as IntervalSet<number | bigint>;
  if (typeof flat[0] === 'number') {
    // IPv4: a sum below 2^32 is exact in a double, so the 200,000 ranges of a blocklist's
    // complement cost no BigInt each.
    let sum = 0;
    for (let k = 0; k < flat.length; k += 2) sum += (flat[k + 1] as number) - (flat[k] as number);
    return BigInt(sum);
  }
  let n = 0n;
  for (const [lo, hi] of ranges(set as IntervalSet<number | bigint>)) n += BigInt(hi) - BigInt(lo);
  return n;
}

/** Union of CIDR texts into a set; throws on malformed input (callers validate first). */
export function cidrsToSet(cidrs: readonly string[], family: Family): AddrSet {
  // One sort and merge: unioning prefix by prefix would copy the growing set each time.
  const pairs: [number | bigint, number | bigint][] = [];
  for (const text of cidrs) {
    const parsed = parseAddrSet(text, family);
    if (!parsed) throw new TypeError(`not an ${family} prefix: ${text}`);
    for (let k = 0; k < parsed.length; k += 2) pairs.push([parsed[k]!, parsed[k + 1]!]);
  }
  return fromRanges(pairs as [number, number][]) as AddrSet;
}

/** Well-known address blocks, used by the kernel's own checks and by exposure classes. */
export const SPECIAL_BLOCKS = {
  ipv4: {
    loopback: ['127.0.0.0/8'],
    private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
    cgnat: ['100.64.0.0/10'],
    linkLocal: ['169.254.0.0/16'],
    multicast: ['224.0.0.0/4'],
    unspecified: ['0.0.0.0/8'],
    reserved: ['240.0.0.0/4'],
  },
  ipv6: {
    loopback: ['::1/128'],
    private: ['fc00::/7'],
    cgnat: [] as string[],
    linkLocal: ['fe80::/10'],
    multicast: ['ff00::/8'],
    unspecified: ['::/128'],
    reserved: [] as string[],
  },
} as const;

export function blockSet(family: Family, names: readonly (keyof (typeof SPECIAL_BLOCKS)['ipv4'])[]): AddrSet {
  return cidrsToSet(
    names.flatMap((n) => SPECIAL_BLOCKS[family][n] as readonly string[]),
    family,
  );
}


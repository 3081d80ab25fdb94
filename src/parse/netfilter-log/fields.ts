/**
 * The netfilter part of a kernel message: `PREFIX IN=eth0 OUT= MAC=… SRC=… DST=… … PROTO=TCP
 * SPT=… DPT=… … SYN …`. Only the outer packet counts: an ICMP error quotes the packet it
 * answers in brackets (`[SRC=… DST=… PROTO=UDP SPT=… DPT=53 …]`) and reading stops there.
 *
 * @module
 */
import { prefixIsDrop } from './prefix.js';
import type { ParsedRecord } from './record.js';
import { type MalformedReason, TCP_FLAGS } from './types.js';

const PROTO_NAMES = new Map<string, string>(Object.entries({
  TCP: 'tcp', UDP: 'udp', UDPLITE: 'udplite', ICMP: 'icmp', ICMPv6: 'icmpv6', AH: 'ah', ESP: 'esp', SCTP: 'sctp',
  // nf_log prints other protocols as numbers.
  '2': 'igmp', '4': 'ipip', '41': 'ipv6', '47': 'gre', '50': 'esp', '51': 'ah', '89': 'ospf', '103': 'pim', '112': 'vrrp', '132': 'sctp',
}));
const FLAG_CODES = TCP_FLAGS.map((f) => (f.charCodeAt(0) << 16) | (f.charCodeAt(1) << 8) | f.charCodeAt(2));

/** The bit of a three-letter TCP flag at p (0 when it is none), without making a string. */
function flagBit(buf: Uint8Array, p: number): number {
  const code = (buf[p]! << 16) | (buf[p + 1]! << 8) | buf[p + 2]!;
  const i = FLAG_CODES.indexOf(code);
  return i < 0 ? 0 : 1 << (TCP_FLAGS.length - 1 - i);
}

/** Where `IN=` starts in [start, end) when followed by a value and ` OUT=`; -1 otherwise. */
export function findInField(buf: Uint8Array, start: number, end: number): number {
  for (let p = start; p + 7 <= end; p++) {
    if (buf[p] !== 73 || buf[p + 1] !== 78 || buf[p + 2] !== 61) continue;
    let q = p + 3;
    while (q < end && buf[q] !== 32) q++;
    if (q + 5 <= end && buf[q + 1] === 79 && buf[q + 2] === 85 && buf[q + 3] === 84 && buf[q + 4] === 61) return p;
  }
  return -1;
}

function isSpace(b: number): boolean {
  return b === 32 || b === 9;
}

/**
 * The last few texts read for a field, with their bytes: most lines repeat the interface,
 * the host's address and one of a few prefixes, so most lines allocate no string for them.
 */
class TextCache {
  private readonly bytes: Uint8Array[] = [];
  private readonly texts: string[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  get(buf: Buffer, start: number, end: number): string {
    const n = end - start;
    for (let e = 0; e < this.bytes.length; e++) {
      const bytes = this.bytes[e]!;
      if (bytes.length !== n) continue;
      let i = 0;
      while (i < n && buf[start + i] === bytes[i]) i++;
      if (i === n) return this.texts[e]!;
    }
    const text = buf.toString('latin1', start, end);
    this.bytes[this.next] = Uint8Array.from(buf.subarray(start, end));
    this.texts[this.next] = text;
    this.next = (this.next + 1) % this.size;
    return text;
  }
}

const prefixes = new TextCache(8);
const inIfaces = new TextCache(4);
const outIfaces = new TextCache(4);
const protos = new TextCache(8);

/** The prefix as text, trimmed. */
function prefixText(buf: Buffer, start: number, end: number): string {
  while (start < end && isSpace(buf[start]!)) start++;
  while (end > start && isSpace(buf[end - 1]!)) end--;
  return prefixes.get(buf, start, end);
}

function parsePort(buf: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 5) return -1;
  let v = 0;
  for (let p = start; p < end; p++) {
    const d = buf[p]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v <= 65535 ? v : -1;
}

/** A dotted quad, or hex groups with colons (as %pI6 prints them, or compressed). */
function addressFamily(buf: Uint8Array, start: number, end: number): 0 | 4 | 6 {
  const n = end - start;
  if (n < 2 || n > 45) return 0;
  let colons = 0;
  let dots = 0;
  for (let p = start; p < end; p++) {
    const b = buf[p]!;
    if (b === 58) colons++;
    else if (b === 46) dots++;
    else if (!((b >= 48 && b <= 57) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70))) return 0;
  }
  if (colons >= 2) return 6;
  if (colons === 0 && dots === 3 && n >= 7 && n <= 15) return 4;
  return 0;
}

/** A canonical dotted quad (no leading zeros, each part ≤ 255) as an unsigned 32-bit number; -1 otherwise. */
export function canonicalIpv4(buf: Uint8Array, start: number, end: number): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let p = start; p < end; p++) {
    const b = buf[p]!;
    if (b === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      const d = b - 48;
      if (d < 0 || d > 9 || (digits === 1 && part === 0)) return -1;
      part = part * 10 + d;
      if (part > 255) return -1;
      digits++;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

/** PROTO= values the kernel prints most, matched as bytes: no string and no lookup per line. */
const TCP = 0x544350; // "TCP"
const UDP = 0x554450; // "UDP"

/** The lower-case name for the PROTO= value [start, end) (not empty). */
function protoName(buf: Buffer, start: number, end: number): string {
  if (end - start === 3) {
    const code = (buf[start]! << 16) | (buf[start + 1]! << 8) | buf[start + 2]!;
    if (code === TCP) return 'tcp';
    if (code === UDP) return 'udp';
  }
  const raw = protos.get(buf, start, end);
  return PROTO_NAMES.get(raw) ?? raw;
}

/**
 * Fill `rec` from the message body [start, end) whose `IN=` is at `inAt`. Returns null when
 * the line is usable (or not a drop), else why the drop is malformed.
 */
export function parseNetfilterBody(buf: Buffer, start: number, inAt: number, end: number, rec: ParsedRecord): MalformedReason | null {
  rec.prefix = prefixText(buf, start, inAt);
  const drop = prefixIsDrop(buf, start, inAt);
  rec.drop = drop;
  rec.srcV4 = -1;
  rec.spt = -1;
  rec.dpt = -1;
  rec.icmpType = -1;
  rec.icmpCode = -1;
  let p = inAt + 3;
  let q = p;
  while (q < end && buf[q] !== 32) q++;
  rec.inIface = inIfaces.get(buf, p, q);
  p = q + 5; // " OUT="
  q = p;
  while (q < end && buf[q] !== 32) q++;
  rec.outIface = outIfaces.get(buf, p, q);
  let srcFamily: 0 | 4 | 6 = 0;
  let dstOk = false;
  let proto = '';
  let isTcp = false;
  let isIcmp = false;
  let tcpFlags = 0;
  p = q;
  while (p < end) {
    while (p < end && isSpace(buf[p]!)) p++;
    if (p >= end || buf[p] === 91) break; // '[': the quoted inner packet of an ICMP error
    q = p + 1;
    while (q < end && buf[q] !== 32) q++;
    // Every key below is letters then '=', so "the first '=' ends the key" is a test of one byte.
    const c = buf[p];
    const len = q - p;
    if (len === 3) {
      // A flag is a bare three-letter word (it has no '=').
      if (isTcp) tcpFlags |= flagBit(buf, p);
    } else if (len > 3 && buf[p + 3] === 61) {
      const c2 = buf[p + 1];
      const c3 = buf[p + 2];
      const v = p + 4;
      if (c === 83 && c2 === 82 && c3 === 67) {
        if (srcFamily === 0) {
          // Nearly every source is a canonical dotted quad: one pass reads and classifies it.
          const v4 = canonicalIpv4(buf, v, q);
          srcFamily = v4 >= 0 ? 4 : addressFamily(buf, v, q);
          if (srcFamily !== 0) {
            rec.srcBytes(buf, v, q);
            rec.srcV4 = v4;
          }
        }
      } else if (c === 68 && c2 === 83 && c3 === 84) {
        if (!dstOk && addressFamily(buf, v, q) !== 0) {
          rec.dstBytes(buf, v, q);
          dstOk = true;
        }
      } else if (c === 83 && c2 === 80 && c3 === 84) rec.spt = parsePort(buf, v, q);
      else if (c === 68 && c2 === 80 && c3 === 84) rec.dpt = parsePort(buf, v, q);
    } else if (len > 5 && buf[p + 5] === 61 && c === 80 && buf[p + 1] === 82 && buf[p + 4] === 79 && buf[p + 2] !== 61 && buf[p + 3] !== 61) {
      // PROTO= (any "PR??O=", as before); the first non-empty one counts.
      if (proto === '' && q > p + 6) {
        proto = protoName(buf, p + 6, q);
        isTcp = proto === 'tcp';
        isIcmp = proto === 'icmp' || proto === 'icmpv6';
      }
    } else if (len > 4 && buf[p + 4] === 61 && isIcmp && buf[p + 2] !== 61 && buf[p + 3] !== 61) {
      if (c === 84 && buf[p + 1] === 89) rec.icmpType = parsePort(buf, p + 5, q);
      else if (c === 67 && buf[p + 1] === 79) rec.icmpCode = parsePort(buf, p + 5, q);
    }
    p = q;
  }
  if (srcFamily === 0) rec.src = '';
  if (!dstOk) rec.dst = '';
  rec.family = srcFamily === 0 ? 4 : srcFamily;
  rec.proto = proto;
  rec.tcpFlags = tcpFlags;
  if (!drop) return null;
  if (srcFamily === 0) return 'no-src';
  if (!dstOk) return 'no-dst';
  if (proto === '') return 'no-proto';
  if ((isTcp || proto === 'udp' || proto === 'udplite' || proto === 'sctp') && (rec.spt < 0 || rec.dpt < 0)) return 'no-ports';
  return null;
}

import { describe, expect, it } from 'vitest';
import { canonicalIpv4, parseNetfilterBody } from './fields.js';
import { prefixIsDrop } from './prefix.js';
import { emptyRecord } from './record.js';
import { TCP_FLAGS } from './types.js';

/**
 * The field rules read plainly, on strings (the parser before it went to bytes): tokens are
 * cut at spaces, a key ends at the first '=', the first SRC/DST/non-empty PROTO count, the
 * last SPT/DPT/TYPE/CODE do, flags count after PROTO=TCP, and '[' ends the outer packet.
 */
const NAMES = new Map(Object.entries({ TCP: 'tcp', UDP: 'udp', UDPLITE: 'udplite', ICMP: 'icmp', ICMPv6: 'icmpv6', AH: 'ah', ESP: 'esp', SCTP: 'sctp', '2': 'igmp', '4': 'ipip', '41': 'ipv6', '47': 'gre', '50': 'esp', '51': 'ah', '89': 'ospf', '103': 'pim', '112': 'vrrp', '132': 'sctp' }));

function family(text: string): 0 | 4 | 6 {
  if (text.length < 2 || text.length > 45 || !/^[0-9a-fA-F:.]*$/.test(text)) return 0;
  const colons = text.split(':').length - 1;
  const dots = text.split('.').length - 1;
  if (colons >= 2) return 6;
  if (colons === 0 && dots === 3 && text.length >= 7 && text.length <= 15) return 4;
  return 0;
}

function port(text: string): number {
  return /^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : -1;
}

function reference(prefix: string, body: string) {
  const r = { src: '', srcV4: -1, dst: '', family: 4, proto: '', spt: -1, dpt: -1, icmpType: -1, icmpCode: -1, tcpFlags: 0, inIface: '', outIface: '' };
  const m = /^IN=(\S*) OUT=(\S*)(.*)$/s.exec(body)!;
  r.inIface = m[1]!;
  r.outIface = m[2]!;
  let srcFamily = 0;
  let dstOk = false;
  let protoRaw = '';
  const rest = m[3]!;
  let i = 0;
  while (i < rest.length) {
    while (i < rest.length && (rest[i] === ' ' || rest[i] === '\t')) i++;
    if (i >= rest.length || rest[i] === '[') break;
    let j = i;
    while (j < rest.length && rest[j] !== ' ') j++;
    const token = rest.slice(i, j);
    i = j;
    const eq = token.indexOf('=');
    if (eq < 0) {
      const bit = TCP_FLAGS.indexOf(token.slice(0, 3) as never);
      if (r.proto === 'tcp' && token.length === 3 && bit >= 0) r.tcpFlags |= 1 << (7 - bit);
      continue;
    }
    const key = token.slice(0, eq);
    const value = token.slice(eq + 1);
    if (key === 'SRC' && !r.src) {
      srcFamily = family(value);
      if (srcFamily) r.src = value;
      if (srcFamily === 4) {
        const parts = value.split('.');
        r.srcV4 = parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255) ? parts.reduce((a, p) => a * 256 + Number(p), 0) : -1;
      }
    } else if (key === 'DST' && !r.dst) {
      if (family(value)) {
        r.dst = value;
        dstOk = true;
      }
    } else if (key === 'SPT') r.spt = port(value);
    else if (key === 'DPT') r.dpt = port(value);
    else if (key.length === 5 && key[0] === 'P' && key[1] === 'R' && key[4] === 'O' && !protoRaw) {
      protoRaw = value;
      r.proto = NAMES.get(value) ?? value;
    } else if (key.length === 4 && key[0] === 'T' && key[1] === 'Y' && (r.proto === 'icmp' || r.proto === 'icmpv6')) r.icmpType = port(value);
    else if (key.length === 4 && key[0] === 'C' && key[1] === 'O' && (r.proto === 'icmp' || r.proto === 'icmpv6')) r.icmpCode = port(value);
  }
  if (srcFamily) r.family = srcFamily;
  const drop = prefixIsDrop(Buffer.from(prefix), 0, prefix.length);
  let reason: string | null = null;
  if (drop) {
    if (!r.src) reason = 'no-src';
    else if (!dstOk) reason = 'no-dst';
    else if (!r.proto) reason = 'no-proto';
    else if (['tcp', 'udp', 'udplite', 'sctp'].includes(r.proto) && (r.spt < 0 || r.dpt < 0)) reason = 'no-ports';
  }
  return { ...r, prefix: prefix.trim(), drop, reason };
}

function parsed(prefix: string, body: string, trailing = '\n') {
  // Bytes after the line's end are those of the next line: they must not be read.
  const buf = Buffer.from(prefix + body + trailing, 'latin1');
  const rec = emptyRecord();
  const reason = parseNetfilterBody(buf, 0, prefix.length, prefix.length + body.length, rec);
  const { src, srcV4, dst, family, proto, spt, dpt, icmpType, icmpCode, tcpFlags, inIface, outIface, drop } = rec;
  return { src, srcV4, dst, family, proto, spt, dpt, icmpType, icmpCode, tcpFlags, inIface, outIface, prefix: rec.prefix, drop, reason };
}

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  'SRC=203.0.113.7', 'SRC=2001:0db8:0000:0000:0000:0000:0000:0001', 'SRC=010.1.2.3', 'SRC=1.2.3.256', 'SRC=bad', 'SRC=', 'SRC',
  'DST=192.0.2.10', 'DST=2001:db8::2', 'DST=x', 'DST=', 'PROTO=TCP', 'PROTO=UDP', 'PROTO=ICMP', 'PROTO=ICMPv6', 'PROTO=', 'PROTO=2',
  'PROTO=constructor', 'PROTO=toString', 'PRxxO=UDP', 'PR=O=TCP', 'PROT=TCP', 'PROTOS=TCP', 'SPT=1', 'SPT=65535', 'SPT=65536', 'SPT=12a',
  'DPT=22', 'DPT=', 'DPT=443', 'TYPE=3', 'TYPE=8', 'CODE=1', 'TY=3', 'TYPO=9', 'CO=DE=1', 'SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE',
  'CWR', 'SYNX', 'SY', 'S=C=1', 'SR=', '=SRC=1.1.1.1', 'X', 'MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00', 'LEN=44', 'TTL=64', 'DF',
  '[SRC=9.9.9.9', 'DPT=53]', '\tDPT=80', 'SRC=198.51.100.1\tDPT=8', 'CO', 'TY', 'SP', 'PR', 'PROT', 'X=1', '1=2',
];

describe('netfilter fields', () => {
  it('read as the plain string rules read them, on random token soups', () => {
    const next = random(12);
    for (let n = 0; n < 5000; n++) {
      const count = Math.floor(next() * 12);
      const tokens = Array.from({ length: count }, () => TOKENS[Math.floor(next() * TOKENS.length)]!);
      const gap = () => (next() < 0.1 ? '  ' : ' ');
      const body = `IN=${next() < 0.5 ? 'eth0' : ''} OUT=${next() < 0.2 ? 'wg0' : ''}` + tokens.map((t) => gap() + t).join('') + (next() < 0.2 ? ' ' : '');
      const prefix = ['', '[UFW BLOCK] ', '[UFW ALLOW] ', 'DROP: ', ' x AUDIT '][Math.floor(next() * 5)]!;
      const trailing = ['\n', 'O=', '=', 'PROTO=TCP', ''][Math.floor(next() * 5)]!;
      expect(parsed(prefix, body, trailing), `${prefix}${body}`).toEqual(reference(prefix, body));
    }
  });

  it('PROTO= takes any name, even one an object inherits (constructor)', () => {
    expect(parsed('', 'IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=constructor').proto).toBe('constructor');
  });

  it('a canonical dotted quad becomes its number; other spellings do not', () => {
    const v4 = (t: string) => canonicalIpv4(Buffer.from(t), 0, t.length);
    expect([v4('203.0.113.7'), v4('255.255.255.255'), v4('0.0.0.0')]).toEqual([3405803783, 4294967295, 0]);
    expect([v4('010.1.2.3'), v4('1.2.3'), v4('1.2.3.4.5'), v4('1.2.3.256'), v4('1..2.3')]).toEqual([-1, -1, -1, -1, -1]);
  });
});

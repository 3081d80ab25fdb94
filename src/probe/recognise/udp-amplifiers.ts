/**
 * UDP services that answer strangers, each probed with one small request; the reply's size
 * over the request's is the amplification factor a spoofed request would get.
 * DNS (RFC 1035 §4.1: a recursive query for a name outside the server's zones; RA=1 and an
 * RCODE other than REFUSED (5) make an open resolver), NTP (mode 6 READVAR, RFC 9327),
 * SNMP (v2c GetRequest for sysDescr.0 with community "public", RFC 3416), SSDP (UPnP
 * M-SEARCH, unicast).
 *
 * @module
 */
import type { Recognition } from '../../model/probe.js';
import type { UdpProbe } from './types.js';
import { ascii, firstLine, latin1, recognition } from './text.js';

/** Reply bytes per request byte, one decimal. */
export function amplificationOf(request: Buffer, replies: readonly Buffer[]): number {
  const bytes = replies.reduce((n, r) => n + r.length, 0);
  return Math.round((bytes / request.length) * 10) / 10;
}

function withAmplification(request: Buffer, replies: readonly Buffer[], r: Recognition): Recognition {
  const amplification = amplificationOf(request, replies);
  const bytes = replies.reduce((n, x) => n + x.length, 0);
  return { ...r, amplification, facts: [...r.facts, `${request.length}-byte request answered with ${bytes} bytes: amplification ×${amplification}`] };
}

/** A DNS query: id, RD set, one question. */
export function dnsQuery(name: string, id = 0x5043): Buffer {
  const head = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  const labels = name.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), ascii(l)]));
  return Buffer.concat([head, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
}

const RCODES: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

export const dnsRecursion: UdpProbe = {
  name: 'dns-recursion',
  ports: [53],
  // A name no probed server is authoritative for (RFC 2606 reserves it); nmap's dns-recursion asks the same way.
  request: dnsQuery('www.example.com'),
  judge(request, replies) {
    const r = replies.find((x) => x.length >= 12 && x.readUInt16BE(0) === request.readUInt16BE(0) && (x[2]! & 0x80) !== 0);
    if (!r) return null;
    const ra = (r[3]! & 0x80) !== 0;
    const rcode = r[3]! & 0x0f;
    const open = ra && rcode !== 5;
    return withAmplification(request, [r], recognition('dns', {
      auth: null,
      openResolver: open,
      facts: [`recursive query for www.example.com answered ${RCODES[rcode] ?? `RCODE ${rcode}`}, recursion ${ra ? 'available (RA=1)' : 'not available'}`],
    }));
  },
};

export const ntpReadvar: UdpProbe = {
  name: 'ntp-mode6-readvar',
  ports: [123],
  // LI 0, version 2, mode 6 (control); opcode 2 READVAR; sequence 1; no association, no data.
  request: Buffer.from([0x16, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]),
  judge(request, replies) {
    const ours = replies.filter((x) => x.length >= 12 && (x[0]! & 0x07) === 6 && (x[1]! & 0x80) !== 0);
    if (ours.length === 0) return null;
    const text = latin1(Buffer.concat(ours.map((x) => x.subarray(12))));
    const version = /version="([^"]+)"/.exec(text)?.[1] ?? null;
    return withAmplification(request, ours, recognition('ntp', { product: version, facts: ['answers mode 6 (control) queries from anyone'] }));
  },
};

/** BER: tag, length (short or long form), value. */
function tlv(tag: number, value: Buffer): Buffer {
  const len = value.length < 0x80 ? Buffer.from([value.length]) : Buffer.from([0x81, value.length]);
  return Buffer.concat([Buffer.from([tag]), len, value]);
}

/** SNMPv2c GetRequest for sysDescr.0 (1.3.6.1.2.1.1.1.0). */
export function snmpGet(community: string, requestId = 0x5043): Buffer {
  const oid = tlv(0x06, Buffer.from([0x2b, 6, 1, 2, 1, 1, 1, 0]));
  const varbind = tlv(0x30, Buffer.concat([oid, Buffer.from([0x05, 0x00])]));
  const pdu = tlv(0xa0, Buffer.concat([tlv(0x02, Buffer.from([requestId >> 8, requestId & 0xff])), tlv(0x02, Buffer.from([0])), tlv(0x02, Buffer.from([0])), tlv(0x30, varbind)]));
  return tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([1])), tlv(0x04, ascii(community)), pdu]));
}

export const snmpPublic: UdpProbe = {
  name: 'snmp-public',
  ports: [161],
  request: snmpGet('public'),
  judge(request, replies) {
    // A GetResponse (0xa2) echoing the community: the agent accepted "public".
    const r = replies.find((x) => x[0] === 0x30 && x.includes(Buffer.from([0xa2])) && x.includes(ascii('public')));
    if (!r) return null;
    // sysDescr is the last OCTET STRING of the reply.
    const at = r.lastIndexOf(Buffer.from([0x06, 0x08, 0x2b, 6, 1, 2, 1, 1, 1, 0]));
    const descr = at >= 0 && r[at + 10] === 0x04 ? latin1(r.subarray(at + 12, at + 12 + r[at + 11]!)) : null;
    return withAmplification(request, [r], recognition('snmp', { auth: 'none', product: descr, banner: descr, facts: ['answers SNMP with the default community "public"'] }));
  },
};

export const ssdpSearch: UdpProbe = {
  name: 'ssdp-msearch',
  ports: [1900],
  request: ascii('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n'),
  judge(request, replies) {
    const ours = replies.filter((x) => /^HTTP\/1\.1 200/.test(latin1(x.subarray(0, 12))));
    if (ours.length === 0) return null;
    const server = /^server:\s*(.+)$/im.exec(latin1(ours[0]!))?.[1]?.trim() ?? null;
    return withAmplification(request, ours, recognition('ssdp', { product: server, banner: firstLine(ours[0]!), facts: [`answered M-SEARCH with ${ours.length} datagram(s)`] }));
  },
};

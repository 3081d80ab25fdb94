/**
 * UDP probes on replies built from the protocol specifications (RFC 1035, RFC 9327,
 * RFC 3416, UPnP 2.0): no DNS, NTP, SNMP or SSDP server runs in the test suite yet, so the
 * request bytes are pinned to the specifications and the judges to hand-checked replies.
 */
import { describe, expect, it } from 'vitest';
import { amplificationOf, dnsQuery, dnsRecursion, ntpReadvar, snmpGet, snmpPublic, ssdpSearch } from './udp-amplifiers.js';

/** A reply to `query` with the given flags byte 3 (RA bit 0x80, RCODE low nibble). */
const dnsReply = (query: Buffer, flags3: number, extra = 0) => Buffer.concat([query.subarray(0, 2), Buffer.from([0x81, flags3]), query.subarray(4), Buffer.alloc(extra)]);

describe('UDP amplifier probes', () => {
  it('DNS: the query is well-formed; RA=1 and not REFUSED is an open resolver', () => {
    const q = dnsQuery('www.example.com');
    expect(q.toString('hex')).toBe('504301000001000000000000' + '03777777076578616d706c6503636f6d00' + '00010001');
    expect(dnsRecursion.judge(q, [dnsReply(q, 0x82, 100)])).toMatchObject({ service: 'dns', openResolver: true });
    expect(dnsRecursion.judge(q, [dnsReply(q, 0x85)])).toMatchObject({ openResolver: false });
    expect(dnsRecursion.judge(q, [dnsReply(q, 0x00)])).toMatchObject({ openResolver: false });
    // Another query's reply is not ours.
    expect(dnsRecursion.judge(q, [dnsReply(dnsQuery('www.example.com', 1), 0x80)])).toBeNull();
  });

  it('NTP mode 6: a control response counts, with its size', () => {
    const data = Buffer.from('version="ntpd 4.2.8p15", processor="x86_64"', 'latin1');
    const reply = Buffer.concat([Buffer.from([0x16, 0x82, 0, 1, 0, 0, 0, 0, 0, 0, 0, data.length]), data]);
    const r = ntpReadvar.judge(ntpReadvar.request, [reply])!;
    expect(r).toMatchObject({ service: 'ntp', product: 'ntpd 4.2.8p15' });
    expect(r.amplification).toBe(amplificationOf(ntpReadvar.request, [reply]));
    expect(r.amplification).toBeGreaterThan(4);
  });

  it('SNMP: GetRequest for sysDescr.0 with "public"; a GetResponse means the community works', () => {
    const req = snmpGet('public');
    expect(req.toString('hex')).toBe('302702010104067075626c6963a01a02025043020100020100300e300c06082b060102010101000500');
    const descr = Buffer.from('Linux gw 6.1.0', 'latin1');
    const vb = Buffer.concat([Buffer.from([0x06, 0x08, 0x2b, 6, 1, 2, 1, 1, 1, 0, 0x04, descr.length]), descr]);
    const reply = Buffer.concat([Buffer.from([0x30, 0x40, 0x02, 0x01, 0x01, 0x04, 0x06]), Buffer.from('public'), Buffer.from([0xa2, 0x30]), Buffer.alloc(12), vb]);
    expect(snmpPublic.judge(req, [reply])).toMatchObject({ service: 'snmp', auth: 'none', product: 'Linux gw 6.1.0' });
    expect(snmpPublic.judge(req, [Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])])).toBeNull();
  });

  it('SSDP: every 200 OK datagram counts toward the factor', () => {
    const reply = Buffer.from('HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\nSERVER: Linux/5.10 UPnP/1.0 MiniUPnPd/2.2\r\n\r\n', 'latin1');
    const r = ssdpSearch.judge(ssdpSearch.request, [reply, reply, reply])!;
    expect(r).toMatchObject({ service: 'ssdp', product: 'Linux/5.10 UPnP/1.0 MiniUPnPd/2.2' });
    expect(r.amplification).toBe(Math.round((3 * reply.length * 10) / ssdpSearch.request.length) / 10);
  });
});

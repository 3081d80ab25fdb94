import { describe, expect, it } from 'vitest';
import { LogLineReader, type LineSink } from './reader.js';
import type { NetfilterRecord } from './types.js';

interface Seen {
  records: (NetfilterRecord & { line: number; count: number })[];
  malformed: { reason: string; line: number }[];
  skipped: number[];
}

function read(text: string, now = new Date(2026, 11, 2, 12, 0, 0), chunk = 0): Seen {
  const seen: Seen = { records: [], malformed: [], skipped: [] };
  const sink: LineSink = {
    record: (rec, line) => seen.records.push({ ...rec, line, count: 1 }),
    repeated: (rec, count, line) => seen.records.push({ ...rec, line, count }),
    malformed: (reason, line) => seen.malformed.push({ reason, line }),
    skipped: (line) => seen.skipped.push(line),
  };
  const reader = new LogLineReader(sink, now);
  const bytes = Buffer.from(text);
  if (chunk > 0) for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  else reader.push(bytes);
  reader.end();
  return seen;
}

const UFW = 'IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.7 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=242 ID=54321 PROTO=TCP SPT=54321 DPT=6379 WINDOW=1024 RES=0x00 SYN URGP=0';

describe('framings', () => {
  it('reads BSD stamps with and without the kernel uptime, as local time', () => {
    const s = read(`Dec  1 10:00:00 web1 kernel: [ 1234.567890] [UFW BLOCK] ${UFW}\nDec  1 10:00:01 web1 kernel: [UFW BLOCK] ${UFW}\n`);
    expect(s.records.map((r) => [r.time, r.prefix, r.src, r.dst, r.proto, r.spt, r.dpt, r.drop, r.inIface, r.outIface])).toEqual([
      [new Date(2026, 11, 1, 10, 0, 0).getTime(), '[UFW BLOCK]', '203.0.113.7', '192.0.2.10', 'tcp', 54321, 6379, true, 'eth0', ''],
      [new Date(2026, 11, 1, 10, 0, 1).getTime(), '[UFW BLOCK]', '203.0.113.7', '192.0.2.10', 'tcp', 54321, 6379, true, 'eth0', ''],
    ]);
    expect(s.records[0]!.tcpFlags).toBe(2); // SYN
  });

  it('counts RFC 3339 stamps in UTC by their offset', () => {
    const s = read(`2026-12-01T10:00:07.123456+01:00 web1 kernel: [ 12.5] DROP: ${UFW}\n2026-12-01T10:00:07Z web1 kernel: ${UFW}\n2026-12-01T10:00:07-05:30 web1 kernel: ${UFW}\n`);
    expect(s.records.map((r) => new Date(r.time).toISOString())).toEqual(['2026-12-01T09:00:07.123Z', '2026-12-01T10:00:07.000Z', '2026-12-01T15:30:07.000Z']);
    expect(s.records.map((r) => r.prefix)).toEqual(['DROP:', '', '']);
  });

  it('reads RFC 5424 framing (kernel by app-name or facility 0), with or without structured data', () => {
    const s = read(
      [
        `<4>1 2026-12-01T10:00:08Z web1 kernel - - - [UFW BLOCK] ${UFW}`,
        `<12>1 2026-12-01T10:00:09.5Z web1 kernel - - [meta sequenceId="1" x="a\\]b"] nft drop: ${UFW}`,
        `<0>1 2026-12-01T10:00:10Z web1 - - - - ${UFW}`,
        `<30>1 2026-12-01T10:00:11Z web1 dhclient 812 - - IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.1 PROTO=UDP SPT=1 DPT=2`,
      ].join('\n'),
    );
    expect(s.records.map((r) => [new Date(r.time).toISOString(), r.prefix])).toEqual([
      ['2026-12-01T10:00:08.000Z', '[UFW BLOCK]'],
      ['2026-12-01T10:00:09.500Z', 'nft drop:'],
      ['2026-12-01T10:00:10.000Z', ''],
    ]);
    expect(s.skipped).toEqual([4]);
  });

  it('reads journal JSON records with MESSAGE as a string or a byte array, timed by __REALTIME_TIMESTAMP', () => {
    const msg = `[UFW BLOCK] ${UFW}`;
    const s = read(
      [
        JSON.stringify({ __REALTIME_TIMESTAMP: '1796119209123456', _TRANSPORT: 'kernel', MESSAGE: msg }),
        JSON.stringify({ __REALTIME_TIMESTAMP: '1796119210000000', _TRANSPORT: 'kernel', MESSAGE: Array.from(Buffer.from(msg + ' \xff', 'latin1')) }),
        JSON.stringify({ __REALTIME_TIMESTAMP: '1796119211000000', _TRANSPORT: 'syslog', SYSLOG_IDENTIFIER: 'dhclient', MESSAGE: msg }),
        JSON.stringify({ _TRANSPORT: 'kernel', MESSAGE: msg }),
      ].join('\n'),
    );
    expect(s.records.map((r) => [r.time, r.dpt])).toEqual([
      [1796119209123, 6379],
      [1796119210000, 6379],
    ]);
    expect(s.skipped).toEqual([3]);
    expect(s.malformed).toEqual([{ reason: 'no-time', line: 4 }]);
  });

  it('joins lines split across chunks and numbers them', () => {
    const text = `Dec  1 10:00:00 web1 kernel: ${UFW}\nDec  1 10:00:00 web1 sshd[1]: hello\nDec  1 10:00:02 web1 kernel: [X] ${UFW}`;
    const whole = read(text);
    const split = read(text, undefined, 7);
    expect(split).toEqual(whole);
    expect(whole.records.map((r) => r.line)).toEqual([1, 3]);
    expect(whole.skipped).toEqual([2]);
  });
});

describe('the rules of the issue', () => {
  it('reads every prefix, glued to IN= or empty', () => {
    const s = read(
      [
        `Dec  1 10:00:00 h kernel: [FW - ALL]${UFW}`,
        `Dec  1 10:00:00 h kernel: ${UFW}`,
        `Dec  1 10:00:00 h kernel: filter_IN_public_REJECT: ${UFW}`,
        `Dec  1 10:00:00 h kernel: [UFW LIMIT BLOCK] ${UFW}`,
      ].join('\n'),
    );
    expect(s.records.map((r) => [r.prefix, r.drop])).toEqual([
      ['[FW - ALL]', true],
      ['', true],
      ['filter_IN_public_REJECT:', true],
      ['[UFW LIMIT BLOCK]', true],
    ]);
  });

  it('a line is a drop unless its prefix says ALLOW, ACCEPT or AUDIT (whole words, any case)', () => {
    const prefixes = ['[UFW AUDIT INVALID]', '[UFW ALLOW]', 'nft accept: ', 'filter_IN_public_ACCEPT:', '[DISALLOWED]', 'AUDITOR', 'BLOCK'];
    const s = read(prefixes.map((p) => `Dec  1 10:00:00 h kernel: ${p} ${UFW}`).join('\n'));
    expect(s.records.map((r) => r.drop)).toEqual([false, false, false, false, true, true, true]);
  });

  it('only the outer packet counts: the packet an ICMP error quotes is ignored', () => {
    const s = read(`Dec  1 10:00:04 h kernel: IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.10 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=ICMP TYPE=3 CODE=3 [SRC=192.0.2.10 DST=198.51.100.1 LEN=56 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=UDP SPT=1234 DPT=53 LEN=36 ]`);
    expect(s.records.map((r) => [r.src, r.dst, r.proto, r.dpt, r.icmpType, r.icmpCode])).toEqual([['198.51.100.1', '192.0.2.10', 'icmp', -1, 3, 3]]);
  });

  it('reads IPv6, IGMP and other protocols', () => {
    const s = read(
      [
        `Dec  1 10:00:03 h kernel: [FW]IN=eth0 OUT= MAC= SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=2001:0db8:0000:0000:0000:0000:0000:0002 LEN=60 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=UDP SPT=5353 DPT=53 LEN=20`,
        `Dec  1 10:00:03 h kernel: IN=eth0 OUT= SRC=198.51.100.9 DST=224.0.0.1 LEN=32 TOS=0x00 PREC=0xC0 TTL=1 ID=0 DF PROTO=2`,
        `Dec  1 10:00:03 h kernel: IN=eth0 OUT= SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=2001:0db8:0000:0000:0000:0000:0000:0002 LEN=64 PROTO=ICMPv6 TYPE=128 CODE=0 ID=1 SEQ=1`,
      ].join('\n'),
    );
    expect(s.records.map((r) => [r.family, r.proto, r.dpt, r.icmpType])).toEqual([
      [6, 'udp', 53, -1],
      [4, 'igmp', -1, -1],
      [6, 'icmpv6', -1, 128],
    ]);
  });

  it('drop lines without a usable SRC, DST, PROTO or ports are malformed; other lines are skipped', () => {
    const s = read(
      [
        `Dec  1 10:00:00 h kernel: [UFW BLOCK] IN=eth0 OUT= DST=192.0.2.10 PROTO=TCP SPT=1 DPT=2`,
        `Dec  1 10:00:00 h kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 PROTO=TCP SPT=1 DPT=2`,
        `Dec  1 10:00:00 h kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=40`,
        `Dec  1 10:00:00 h kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=TCP SPT=1`,
        `Dec  1 10:00:00 h kernel: [UFW BLOCK] IN=eth0 OUT= SRC=not-an-ip DST=192.0.2.10 PROTO=TCP SPT=1 DPT=2`,
        `Dec  1 10:00:00 h kernel: [UFW ALLOW] IN=eth0 OUT= SRC=203.0.113.7 PROTO=TCP`,
        `Dec  1 10:00:00 h kernel: e1000e: eth0 NIC Link is Up`,
        `Dec  1 10:00:00 h sshd[9]: IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=TCP SPT=1 DPT=2`,
        ``,
        `garbage`,
      ].join('\n'),
    );
    expect(s.malformed).toEqual([
      { reason: 'no-src', line: 1 },
      { reason: 'no-dst', line: 2 },
      { reason: 'no-proto', line: 3 },
      { reason: 'no-ports', line: 4 },
      { reason: 'no-src', line: 5 },
    ]);
    expect(s.records.map((r) => [r.line, r.drop])).toEqual([[6, false]]);
    expect(s.skipped).toEqual([7, 8, 9, 10]);
  });

  it('`last message repeated N times` adds N of the drop just before it, and nothing after anything else', () => {
    const s = read(
      [
        `Dec  1 10:00:00 h kernel: [UFW BLOCK] ${UFW}`,
        `Dec  1 10:00:30 h last message repeated 3 times`,
        `Dec  1 10:01:00 h --- last message repeated 2 times ---`,
        `Dec  1 10:01:00 h kernel: [UFW ALLOW] ${UFW}`,
        `Dec  1 10:01:30 h last message repeated 5 times`,
        `Dec  1 10:01:40 h kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 PROTO=TCP`,
        `Dec  1 10:01:50 h last message repeated 7 times`,
        `Dec  1 10:02:00 h sshd[1]: hello`,
        `Dec  1 10:02:10 h last message repeated 9 times`,
      ].join('\n'),
    );
    expect(s.records.map((r) => [r.line, r.count, r.drop])).toEqual([
      [1, 1, true],
      [2, 3, true],
      [3, 2, true],
      [4, 1, false],
    ]);
    expect(s.records[1]!.time).toBe(s.records[0]!.time);
    expect(s.skipped).toEqual([2, 3, 5, 7, 8, 9]);
  });

  it("rsyslog's `message repeated N times: [ … ]` adds N of the drop it quotes", () => {
    const s = read(
      [
        `Dec  1 10:00:00 h kernel: [UFW BLOCK] ${UFW}`,
        `Dec  1 10:00:30 h kernel: message repeated 4 times: [ [UFW BLOCK] ${UFW}]`,
        `Dec  1 10:00:40 h last message repeated 2 times`,
        `Dec  1 10:00:50 h kernel: message repeated 3 times: [ [UFW ALLOW] ${UFW}]`,
      ].join('\n'),
    );
    expect(s.records.map((r) => [r.line, r.count, r.dpt, r.prefix])).toEqual([
      [1, 1, 6379, '[UFW BLOCK]'],
      [2, 4, 6379, '[UFW BLOCK]'],
      [3, 2, 6379, '[UFW BLOCK]'],
    ]);
    expect(s.skipped).toEqual([2, 3, 4]);
  });

  it('BSD stamps take the current year, or the previous one when the date would lie in the future', () => {
    const line = (d: string) => `${d} 23:59:59 h kernel: ${UFW}`;
    const onJan2 = read([line('Dec 31'), line('Jan  1'), line('Jan  2')].join('\n'), new Date(2027, 0, 2, 0, 30));
    expect(onJan2.records.map((r) => new Date(r.time).getFullYear())).toEqual([2026, 2027, 2027]);
    const onDec2 = read(line('Dec  1'), new Date(2026, 11, 2));
    expect(new Date(onDec2.records[0]!.time).getFullYear()).toBe(2026);
  });

  it('a BSD stamp a little ahead of the reader keeps its year across midnight and New Year', () => {
    // Found by CI: a --follow test's lines, stamped a minute past midnight, were read at 23:59 and went back a year.
    const line = (d: string, t: string) => `${d} ${t} h kernel: ${UFW}`;
    const years = (text: string, at: Date) => read(text, at).records.map((r) => new Date(r.time).getFullYear());
    expect(years(line('Dec  4', '00:01:13'), new Date(2026, 11, 3, 23, 59, 50))).toEqual([2026]);
    expect(years(line('Jan  1', '00:00:30'), new Date(2026, 11, 31, 23, 59, 50))).toEqual([2027]);
    expect(years(line('Dec 31', '23:59:00'), new Date(2026, 11, 31, 23, 59, 50))).toEqual([2026]);
    // Two days ahead is not a clock's skew: it is last year's line.
    expect(years(line('Dec  5', '00:00:01'), new Date(2026, 11, 3, 12))).toEqual([2025]);
  });
});

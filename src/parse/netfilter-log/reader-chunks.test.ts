import { describe, expect, it } from 'vitest';
import { type LineSink, LogLineReader } from './reader.js';
import type { NetfilterRecord } from './types.js';

const UFW = 'IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.7 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=242 ID=54321 PROTO=TCP SPT=54321 DPT=6379 WINDOW=1024 RES=0x00 SYN URGP=0';

const LINES = [
  `Dec  1 10:00:00 web1 kernel: [UFW BLOCK] ${UFW}`,
  `Dec  1 10:00:00 web1 kernel: [ 12.5] DROP: ${UFW.replace('203.0.113.7', '198.51.100.23')}`,
  `Dec  1 10:00:01 web1 kernel: IN=eth0 OUT= SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=2001:0db8:0000:0000:0000:0000:0000:0002 LEN=64 PROTO=ICMPv6 TYPE=128 CODE=0`,
  `Dec  1 10:00:01 web1 last message repeated 3 times`,
  `Dec  1 10:00:02 web1 kernel: message repeated 2 times: [ [UFW BLOCK] ${UFW.replace('203.0.113.7', '192.0.2.99')}]`,
  `Dec  1 10:00:02 web1 kernel: [UFW ALLOW] ${UFW}`,
  `Dec  1 10:00:03 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 PROTO=TCP`,
  `Dec  1 10:00:03 web1 sshd[1]: hello`,
  `2026-12-01T10:00:04.5+01:00 web1 kernel: [X] ${UFW}\r`,
  `<4>1 2026-12-01T10:00:05Z web1 kernel - - - [UFW BLOCK] ${UFW}`,
  JSON.stringify({ __REALTIME_TIMESTAMP: '1796119209123456', _TRANSPORT: 'kernel', MESSAGE: `[UFW BLOCK] ${UFW}` }),
  ``,
];

type Seen = { kind: string; line: number; count?: number; rec?: NetfilterRecord; reason?: string; text?: string };

/** With `lazy`, records are copied without their addresses, which stay undecoded until a repeat reads them. */
function sink(seen: Seen[], lazy = false): LineSink {
  return {
    record: (rec, line) => {
      const { src: _src, dst: _dst, ...rest } = Object.getOwnPropertyDescriptors(rec);
      const copy = lazy ? (Object.fromEntries(Object.entries(rest).map(([k, d]) => [k, d.value])) as NetfilterRecord) : { ...rec };
      seen.push({ kind: 'record', line, rec: copy });
    },
    repeated: (rec, count, line) => seen.push({ kind: 'repeated', line, count, rec: { ...rec } }),
    malformed: (reason, line, text) => seen.push({ kind: 'malformed', line, reason, text }),
    skipped: (line) => seen.push({ kind: 'skipped', line }),
  };
}

const NOW = new Date(2026, 11, 2, 12);

function readWhole(bytes: Buffer, lazy = false): Seen[] {
  const seen: Seen[] = [];
  const reader = new LogLineReader(sink(seen, lazy), NOW);
  reader.push(Buffer.from(bytes));
  reader.end();
  return seen;
}

/**
 * Read through one scratch buffer that is overwritten after every push, as readLogBytes
 * reuses its buffers: whatever the reader kept by reference would read garbage.
 */
function readReusing(bytes: Buffer, sizes: () => number, lazy = false): Seen[] {
  const seen: Seen[] = [];
  const reader = new LogLineReader(sink(seen, lazy), NOW);
  const scratch = Buffer.alloc(bytes.length + 1);
  for (let at = 0; at < bytes.length; ) {
    const n = Math.min(sizes(), bytes.length - at);
    bytes.copy(scratch, 0, at, at + n);
    reader.push(scratch.subarray(0, n));
    scratch.fill(0x39); // '9': digits where addresses were
    at += n;
  }
  reader.end();
  return seen;
}

describe('the reader and the buffers it is given', () => {
  it('a repeated drop keeps its addresses after the buffer it was read from is reused', () => {
    const seen = readReusing(Buffer.from(`${LINES[0]}\n${LINES[3]}\n`), () => LINES[0]!.length + 1, true);
    expect(seen.map((s) => [s.kind, s.line, s.count, s.rec?.src, s.rec?.dst])).toEqual([
      ['record', 1, undefined, undefined, undefined],
      ['repeated', 2, 3, '203.0.113.7', '192.0.2.10'],
      ['skipped', 2, undefined, undefined, undefined],
    ]);
  });

  it('reads the same records whatever the chunk sizes, through a reused buffer', () => {
    let seed = 7;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const lines = Array.from({ length: 400 }, () => LINES[Math.floor(next() * LINES.length)]!);
    const bytes = Buffer.from(lines.join('\n'));
    const whole = readWhole(bytes);
    expect(whole.filter((s) => s.kind === 'repeated').length).toBeGreaterThan(0);
    for (const max of [1, 7, 64, 300, 5000]) expect(readReusing(bytes, () => 1 + Math.floor(next() * max))).toEqual(whole);
    // Records not read at once: the repeats read addresses the reader had to keep.
    const wholeLazy = readWhole(bytes, true);
    for (const max of [1, 7, 64, 300, 5000]) expect(readReusing(bytes, () => 1 + Math.floor(next() * max), true)).toEqual(wholeLazy);
  });

  it('a copy of a record ({ ...rec }) carries its addresses as text and nothing of the buffer', () => {
    const [first] = readWhole(Buffer.from(LINES[0]!));
    expect(Object.keys(first!.rec!).sort()).toEqual(['dpt', 'drop', 'dst', 'family', 'icmpCode', 'icmpType', 'inIface', 'outIface', 'prefix', 'proto', 'spt', 'src', 'srcV4', 'tcpFlags', 'time']);
    expect(first!.rec).toMatchObject({ src: '203.0.113.7', srcV4: 3405803783, dst: '192.0.2.10' });
  });

  it('a stamp cached for one reader is not reused by another with a different year', () => {
    const line = Buffer.from(`Dec 31 23:00:00 h kernel: ${UFW}\n`);
    const years: number[] = [];
    const onto = (now: Date) => new LogLineReader({ ...sink([]), record: (rec) => years.push(new Date(rec.time).getFullYear()) }, now);
    const newYear = onto(new Date(2027, 0, 2));
    const december = onto(new Date(2025, 11, 31, 23, 30));
    newYear.push(line);
    december.push(line);
    newYear.push(line);
    expect(years).toEqual([2026, 2025, 2026]);
  });
});

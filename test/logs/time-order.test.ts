/**
 * Logs that go back in time, end to end (the built CLI): the BSD year seam read against the
 * file's mtime, and a log whose second half is stamped earlier than its first, read in one
 * thread and in worker threads over different cuts: the same summary every time.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogSummary } from '../../src/analyze/log-summary/types.js';
import { validator } from '../render/load.js';
import { writeLog } from '../../bench/logs/generate-logs.mjs';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const validate = validator('logs');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-logs-order-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The summary without the one field that changes from run to run. */
function summary(args: string[], env: Record<string, string> = {}): Omit<LogSummary, 'generatedAt'> {
  const r = spawnSync(process.execPath, [BIN, 'logs', ...args, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, TZ: 'UTC', ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const s = JSON.parse(r.stdout) as LogSummary;
  expect(validate(s), JSON.stringify(validate.errors)).toBe(true);
  const { generatedAt: _, ...rest } = s;
  return rest;
}

const drop = (stamp: string, port: number) => `${stamp} web1 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.50 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=40000 DPT=${port} WINDOW=1024 RES=0x00 SYN URGP=0\n`;

describe('BSD stamps have no year: they are read against the file\'s mtime', () => {
  it('a scan across New Year in a log last written on 1 January 2025 is one scan, on 31 December 2024 and 1 January 2025', () => {
    const path = join(dir, 'kern.log.1');
    const before = Array.from({ length: 8 }, (_, i) => drop(`Dec 31 23:59:5${i}`, 1000 + i));
    const after = Array.from({ length: 7 }, (_, i) => drop(`Jan  1 00:00:0${i}`, 2000 + i));
    writeFileSync(path, [...before, ...after].join(''));
    utimesSync(path, new Date('2025-01-01T06:25:00Z'), new Date('2025-01-01T06:25:00Z'));
    const s = summary([path]);
    expect(s.days).toEqual([
      { date: '2024-12-31', attempts: 8, sources: 1 },
      { date: '2025-01-01', attempts: 7, sources: 1 },
    ]);
    expect(s.scanners.map((x) => [x.address, x.ports, x.detectedAt])).toEqual([['203.0.113.50', 15, '2025-01-01T00:00:06.000Z']]);
  });
});

describe('a log that goes back in time gives the same summary however it is cut', () => {
  it('one thread, two and three worker threads agree on every count, scanners included', async () => {
    // Two generated logs one after the other, the second starting 10 minutes before the
    // first: its lines go back about 25 minutes, and both plant scans from the same addresses.
    const path = join(dir, 'stepped.log');
    const start = Date.now() - 2 * 86_400_000;
    await writeLog(path, { bytes: 10 << 20, format: 'bsd-uptime', seed: 21, sources: 3000, start, scanEvery: 300 });
    await writeLog(join(dir, 'second.log'), { bytes: 10 << 20, format: 'bsd-uptime', seed: 22, sources: 3000, start: start - 600_000, scanEvery: 300 });
    appendFileSync(path, readFileSync(join(dir, 'second.log')));
    const one = summary([path], { PORTCULLIS_THREADS: '1' });
    expect(one.scanners.length).toBeGreaterThan(30);
    expect(summary([path], { PORTCULLIS_THREADS: '2' })).toEqual(one);
    expect(summary([path], { PORTCULLIS_THREADS: '3' })).toEqual(one);
  }, 180_000);

  it('a report of many ports read by two threads has the bytes one thread writes, to standard output and to --out', () => {
    // 26 MB (two threads from 16 MB: scan-files.ts), 50,000 ports in each half.
    const path = join(dir, 'many-ports.log');
    const start = Date.UTC(2026, 10, 30, 12);
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const stamp = new Date(start + i * 1000).toISOString();
      lines.push(`${stamp} web1 kernel: [UFW BLOCK] IN=${i % 7 ? 'eth0' : 'wg0'} OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.${(i >> 8) & 255}.${i & 255} DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=${i % 3 ? 'TCP' : 'UDP'} SPT=40000 DPT=${(i * 7919) % 50_000} WINDOW=1024 RES=0x00 ${i % 5 ? 'SYN' : 'ACK'} URGP=0\n`);
    }
    writeFileSync(path, lines.join(''));
    const text = (threads: string, out?: string): string => {
      const r = spawnSync(process.execPath, [BIN, 'logs', path, '--format', 'json', ...(out ? ['--out', out] : [])], { encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, TZ: 'UTC', PORTCULLIS_THREADS: threads } });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return (out ? readFileSync(out, 'utf8') : r.stdout).replace(/"generatedAt": "[^"]*"/, '"generatedAt": ""');
    };
    const single = text('1');
    expect((JSON.parse(single) as LogSummary).ports.length).toBeGreaterThan(40_000);
    expect(text('2')).toBe(single);
    expect(text('2', join(dir, 'report.json'))).toBe(single);
  }, 180_000);
});

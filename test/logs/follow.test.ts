/**
 * `logs --follow` on a growing file: new scanners and first contacts on exposed ports as JSON
 * lines, through a rotation (rename, new file; the old file's last lines still read) and a
 * truncation in place (copytruncate).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotOf, sock } from '../helpers/model-builder.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
let dir: string;
let child: ChildProcess | undefined;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const base = Date.now() - 3_600_000;
function line(offsetSec: number, src: string, port: number): string {
  const d = new Date(base + offsetSec * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp = `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
  return `${stamp} web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=${src} DST=192.0.2.1 LEN=44 PROTO=TCP SPT=40000 DPT=${port} WINDOW=1024 RES=0x00 SYN URGP=0\n`;
}
const burst = (start: number, src: string, count: number, firstPort = 1000) => Array.from({ length: count }, (_, i) => line(start + i, src, firstPort + i)).join('');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-follow-'));
  writeFileSync(join(dir, 'snap.json'), JSON.stringify(snapshotOf([sock('tcp', '0.0.0.0', 6379)])));
});
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('logs --follow', () => {
  it('reports new scanners and first contacts on exposed ports through rotation and truncation', async () => {
    const log = join(dir, 'kern.log');
    writeFileSync(log, line(0, '198.51.100.1', 22));
    child = spawn(process.execPath, [BIN, 'logs', log, '--follow', '--format', 'json', '--snapshot', join(dir, 'snap.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const events: Record<string, unknown>[] = [];
    let stderr = '';
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) events.push(JSON.parse(l) as Record<string, unknown>);
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const waitFor = async (what: (e: Record<string, unknown>) => boolean, label: string) => {
      for (let i = 0; i < 150 && !events.some(what); i++) await new Promise((r) => setTimeout(r, 100));
      expect(events.some(what), `${label}; events: ${JSON.stringify(events)}; stderr: ${stderr}`).toBe(true);
    };
    const scanner = (address: string) => (e: Record<string, unknown>) => e.event === 'scanner' && e.address === address;

    appendFileSync(log, burst(10, '203.0.113.1', 15));
    await waitFor(scanner('203.0.113.1'), 'a scanner in the growing file');
    appendFileSync(log, line(40, '198.51.100.2', 6379));
    await waitFor((e) => e.event === 'exposed-contact' && e.port === 6379 && e.address === '198.51.100.2' && e.exposure === 'world', 'first contact on exposed Redis');

    // A scan split across a rotation: 8 ports in the old file (some written after the rename,
    // as rsyslog does until it reopens), 7 in the new one.
    appendFileSync(log, burst(100, '203.0.113.2', 5));
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, burst(105, '203.0.113.2', 3, 1005));
    writeFileSync(log, burst(108, '203.0.113.2', 7, 1008));
    await waitFor(scanner('203.0.113.2'), 'a scan split across the rotation');

    // copytruncate: the file is cut to nothing and written again from the start.
    await new Promise((r) => setTimeout(r, 600));
    truncateSync(log, 0);
    await new Promise((r) => setTimeout(r, 800));
    writeFileSync(log, burst(200, '203.0.113.3', 16));
    await waitFor(scanner('203.0.113.3'), 'a scanner after truncation');

    expect(events.filter((e) => e.event === 'scanner').map((e) => e.address)).toEqual(['203.0.113.1', '203.0.113.2', '203.0.113.3']);
    expect(events.filter((e) => e.event === 'exposed-contact')).toHaveLength(1);
    const exit = new Promise<number | null>((r) => child!.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toBe('');
  }, 60_000);

  it('lines out of time order: scanners at their stamps, as the batch read counts them', async () => {
    const log = join(dir, 'unordered.log');
    // 8 ports at +10..+17 s logged before 7 ports at +0..+6 s: 15 ports within 17 s, the 15th (in time) at +17 s.
    const close = burst(10, '203.0.113.20', 8, 100) + burst(0, '203.0.113.20', 7, 200);
    // 8 ports an hour later, then (the clock stepped back) 7 ports: no 60 s window holds 15.
    const apart = burst(3600, '203.0.113.21', 8, 100) + burst(5, '203.0.113.21', 7, 200);
    // In time order, after the others: once it is reported, every line above has been read.
    const last = burst(4000, '203.0.113.22', 15);
    writeFileSync(log, '');
    const run = spawn(process.execPath, [BIN, 'logs', log, '--follow', '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = run;
    const events: Record<string, unknown>[] = [];
    let buffered = '';
    run.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) events.push(JSON.parse(l) as Record<string, unknown>);
    });
    await new Promise((r) => setTimeout(r, 300));
    appendFileSync(log, close + apart + last);
    for (let i = 0; i < 150 && !events.some((e) => e.address === '203.0.113.22'); i++) await new Promise((r) => setTimeout(r, 100));
    const atStamp = (offsetSec: number) => new Date(Math.floor((base + offsetSec * 1000) / 1000) * 1000).toISOString();
    expect(events.filter((e) => e.event === 'scanner').map((e) => [e.address, e.detectedAt])).toEqual([
      ['203.0.113.20', atStamp(17)],
      ['203.0.113.22', atStamp(4014)],
    ]);
    // The same lines read at once (no --follow) name the same scanners at the same times.
    const batch = JSON.parse(execFileSync(process.execPath, [BIN, 'logs', log, '--format', 'json'], { encoding: 'utf8' })) as { scanners: { address: string; detectedAt: string }[] };
    expect(batch.scanners.map((x) => [x.address, x.detectedAt]).sort()).toEqual([
      ['203.0.113.20', atStamp(17)],
      ['203.0.113.22', atStamp(4014)],
    ]);
    const exit = new Promise<number | null>((r) => run.on('exit', (code) => r(code)));
    run.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 60_000);
});

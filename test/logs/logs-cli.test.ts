/**
 * `portcullis logs` end to end (the built CLI): counts exact against generated logs whose
 * true counts are known, in every format, in one thread and in worker threads, rotated and
 * gzip files in any order, standard input, the exposure join, and bad input.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogSummary } from '../../src/analyze/log-summary/types.js';
import { snapshotOf, sock } from '../helpers/model-builder.js';
import { validator } from '../render/load.js';
import { LOG_FORMATS, writeLog } from '../../bench/logs/generate-logs.mjs';
import { type Truth, disagreements } from './truth.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const validate = validator('logs');
let dir: string;

function run(args: string[], opts: { input?: string | Buffer; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, 'logs', ...args], { input: opts.input, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function summary(args: string[], opts: { input?: string | Buffer; env?: Record<string, string> } = {}): LogSummary {
  const r = run([...args, '--format', 'json'], opts);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const s = JSON.parse(r.stdout) as LogSummary;
  expect(validate(s), JSON.stringify(validate.errors)).toBe(true);
  return s;
}

async function generate(name: string, format: string, bytes: number, seed = 7): Promise<Truth> {
  // Start three days ago so BSD stamps (no year) are in this year or, in early January, the last.
  return (await writeLog(join(dir, name), { bytes, format, seed, sources: 3000, start: Date.now() - 3 * 86_400_000, scanEvery: 400 })) as Truth;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-logs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('counts are exact against generated logs', () => {
  for (const format of LOG_FORMATS) {
    it(`${format}`, async () => {
      const truth = await generate(`${format}.log`, format, 1_500_000);
      expect(truth.scanners.length).toBeGreaterThan(1);
      const s = summary([join(dir, `${format}.log`)]);
      expect(disagreements(s, truth)).toEqual([]);
      expect(s.lines.malformed).toBeGreaterThan(0);
      expect(s.malformed[0]!.reason).toBe('no-ports');
      expect(readFileSync(join(dir, `${format}.log`), 'utf8').split('\n')[s.malformed[0]!.line - 1]!.slice(0, 100)).toBe(s.malformed[0]!.text.slice(0, 100));
    });
  }

  it('in worker threads over file parts (the same counts as one thread)', async () => {
    const truth = await generate('big.log', 'bsd-uptime', 24 << 20, 11);
    const s = summary([join(dir, 'big.log')], { env: { PORTCULLIS_THREADS: '2' } });
    expect(disagreements(s, truth)).toEqual([]);
    // Malformed examples carry the file's own line numbers, not the part's.
    const lines = readFileSync(join(dir, 'big.log'), 'utf8').split('\n');
    for (const m of s.malformed) expect(lines[m.line - 1]!.slice(0, 100)).toBe(m.text.slice(0, 100));
  }, 120_000);
});

describe('rotated and gzip files in any order, and standard input', () => {
  it('merges by time: a scan split across rotation points is one scan', async () => {
    const truth = await generate('whole.log', 'bsd', 2_000_000, 3);
    const text = readFileSync(join(dir, 'whole.log'), 'utf8');
    const lines = text.split('\n');
    // Cut twice, each time in the middle of a planted scan.
    const cutIn = (address: string): number => {
      const at = lines.map((l, i) => (l.includes(`SRC=${address} `) ? i : -1)).filter((i) => i >= 0);
      let cut = at[Math.floor(at.length / 2)]!;
      while (lines[cut]!.includes('last message repeated')) cut++; // a repeat belongs to its own file
      return cut;
    };
    const [a, b] = [cutIn(truth.scanners[1]!), cutIn(truth.scanners.at(-2)!)].sort((x, y) => x - y);
    writeFileSync(join(dir, 'kern.log.2.gz'), gzipSync(lines.slice(0, a).join('\n') + '\n'));
    writeFileSync(join(dir, 'kern.log.1'), lines.slice(a, b).join('\n') + '\n');
    writeFileSync(join(dir, 'kern.log'), lines.slice(b).join('\n'));
    const s = summary([join(dir, 'kern.log'), join(dir, 'kern.log.2.gz'), join(dir, 'kern.log.1')]);
    expect(disagreements(s, truth)).toEqual([]);
    expect(s.inputs).toEqual([join(dir, 'kern.log.2.gz'), join(dir, 'kern.log.1'), join(dir, 'kern.log')]);
  });

  it('reads standard input (no file, or -)', async () => {
    const truth = await generate('stdin.log', 'rfc5424', 500_000, 5);
    const input = readFileSync(join(dir, 'stdin.log'));
    expect(disagreements(summary([], { input }), truth)).toEqual([]);
    expect(disagreements(summary(['-'], { input }), truth)).toEqual([]);
  });
});

describe('joined with the exposure', () => {
  it('marks every probed port that the snapshot exposes, with its service', async () => {
    const truth = await generate('exposed.log', 'journal', 600_000, 9);
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(snapshotOf([sock('tcp', '0.0.0.0', 6379), sock('tcp', '0.0.0.0', 22), sock('tcp', '127.0.0.1', 5432)])));
    const s = summary([join(dir, 'exposed.log'), '--snapshot', join(dir, 'snap.json')]);
    expect(s.exposure).toEqual({ host: 'test-host' });
    expect(s.exposedHits!.map((x) => [x.proto, x.port, x.attempts, x.sources, x.exposure, x.service?.label])).toEqual(
      [
        ['tcp', 22, truth.ports['tcp/22'], truth.portSources['tcp/22'], 'world', 'SSH'],
        ['tcp', 6379, truth.ports['tcp/6379'], truth.portSources['tcp/6379'], 'world', 'Redis'],
      ].sort((x, y) => (y[2] as number) - (x[2] as number)),
    );
    const text = run([join(dir, 'exposed.log'), '--snapshot', join(dir, 'snap.json')]).stdout;
    expect(text).toContain(`tcp/6379 was probed ${truth.ports['tcp/6379']!.toLocaleString('en-US')} times from ${truth.portSources['tcp/6379']!.toLocaleString('en-US')} sources; Redis is reachable from the world here`);
    expect(text).not.toContain('tcp/5432 was probed');
    // Interfaces and TCP flags, as the generator wrote them (one source in ten over wg0, some stray replies).
    const wg0 = s.interfaces.find((i) => i.name === 'wg0')!;
    expect(wg0.attempts).toBe(Object.values(truth.portInterfaces).reduce((a, x) => a + (x.wg0 ?? 0), 0));
    expect(text).toMatch(new RegExp(`Per interface \\(IN=\\)\\n\\s+interface\\s+attempts\\s+sources\\s+ports\\n\\s+eth0 .*\\n\\s+wg0\\s+${wg0.attempts.toLocaleString('en-US')}\\s`));
    const p22 = s.ports.find((p) => p.proto === 'tcp' && p.port === 22)!;
    expect(p22.tcp!.other).toBeGreaterThan(0);
    expect(text).toMatch(new RegExp(`tcp/22\\s+${p22.attempts.toLocaleString('en-US')}\\s+${p22.sources.toLocaleString('en-US')}\\s+${Math.round((p22.tcp!.syn / p22.attempts) * 100)}%\\s+eth0 \\d+%, wg0 \\d+%\\s+SSH`));
  });
});

describe('bad input: exit 2 with file:line, never a stack trace', () => {
  it('a file that is not a log', () => {
    writeFileSync(join(dir, 'not-a-log.txt'), '{"format":"portcullis-snapshot"\nhello\n');
    const r = run([join(dir, 'not-a-log.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'not-a-log.txt')}:1: not a syslog or journal line`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing file, a damaged gzip file, bad times and numbers', () => {
    expect(run([join(dir, 'missing.log')])).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file') });
    writeFileSync(join(dir, 'bad.gz'), Buffer.concat([gzipSync('Dec  1 10:00:00 h kernel: x\n'.repeat(1000)).subarray(0, 40), Buffer.from('garbage')]));
    expect(run([join(dir, 'bad.gz')])).toMatchObject({ code: 2, stderr: expect.stringContaining('bad.gz') });
    expect(run(['--since', 'last tuesday', '-'], { input: '' })).toMatchObject({ code: 2, stderr: expect.stringContaining('--since "last tuesday": not a time') });
    expect(run(['--scan-ports', '0', '-'], { input: '' })).toMatchObject({ code: 2, stderr: expect.stringContaining('--scan-ports') });
    expect(run(['--format', 'xml', '-'], { input: '' }).code).toBe(2);
  });

  it('malformed lines are counted and shown, never fatal', () => {
    writeFileSync(join(dir, 'one-bad.log'), 'Dec  1 10:00:00 h kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.1 PROTO=TCP SPT=1\n');
    const r = run([join(dir, 'one-bad.log')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${join(dir, 'one-bad.log')}:1: no-ports`);
  });
});

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realHostIO } from './real-host-io.js';

// One suite for both ways a tool's output comes back: a pipe, or an unlinked file (issue 8).
const OUTPUT_DIR = mkdtempSync(join(tmpdir(), 'portcullis-out-test-'));
afterAll(() => rmSync(OUTPUT_DIR, { recursive: true, force: true }));
describe.each([
  ['through pipes', {}],
  ['through output files', { outputDir: OUTPUT_DIR }],
])('realHostIO %s', (_, where) => {
  const io = realHostIO({ timeoutMs: 500, ...where });
  it('runs argv without a shell', async () => {
    expect(await io.exec(['echo', 'a;b', '$HOME', "it's", '`id`', 'two\nlines'])).toEqual({ ok: true, code: 0, stdout: "a;b $HOME it's `id` two\nlines\n", stderr: '' });
  });
  it('a non-zero exit is a result, not an error', async () => {
    expect(await io.exec(['sh', '-c', 'echo out; echo err >&2; exit 3'])).toEqual({ ok: true, code: 3, stdout: 'out\n', stderr: 'err\n' });
  });
  it('a missing tool is ENOENT, even when found by an absolute path', async () => {
    expect(await io.exec(['portcullis-no-such-tool'])).toMatchObject({ ok: false, error: 'ENOENT' });
    expect(await io.exec(['/nonexistent/portcullis-tool'])).toMatchObject({ ok: false, error: 'ENOENT' });
  });
  it('a tool that prints without end is stopped at the output limit, not at the time limit, and leaves nothing', async () => {
    const limited = realHostIO({ timeoutMs: 60_000, maxOutputBytes: 1 << 20, ...where });
    const started = Date.now();
    expect(await limited.exec(['yes', 'a runaway tool'])).toEqual({ ok: false, error: 'EFBIG', message: `yes printed more than ${1 << 20} bytes and was stopped` });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await limited.exec(['head', '-c', String(1 << 19), '/dev/zero'])).toMatchObject({ ok: true, code: 0 });
    expect(readdirSync(OUTPUT_DIR)).toEqual([]);
  });
  it('a missing tool leaves no timer behind (it would hold the process until the time limit)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    expect(await realHostIO({ timeoutMs: 60_000, ...where }).exec(['portcullis-no-such-tool'])).toMatchObject({ ok: false, error: 'ENOENT' });
    expect(timers()).toBe(before);
  });
  it('a file that is not executable is EACCES', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'portcullis-test-')), 'not-a-tool');
    writeFileSync(file, 'echo ran\n', { mode: 0o644 });
    expect(await io.exec([file])).toMatchObject({ ok: false, error: 'EACCES' });
  });
  it('a tool that exits 127 is an exit code, not a missing tool', async () => {
    expect(await io.exec(['sh', '-c', 'exit 127'])).toEqual({ ok: true, code: 127, stdout: '', stderr: '' });
  });
  it('a tool given no input that reads its standard input sees its end, not the time limit', async () => {
    expect(await io.exec(['cat'])).toEqual({ ok: true, code: 0, stdout: '', stderr: '' });
    expect(await io.exec(['sh', '-c', 'read line; echo "read: $?"'])).toEqual({ ok: true, code: 0, stdout: 'read: 1\n', stderr: '' });
  });
  it('a hung tool is stopped', async () => {
    const t0 = Date.now();
    expect(await io.exec(['sleep', '10'])).toMatchObject({ ok: false, error: 'ETIMEDOUT' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it('output is kept whole, multibyte characters included', async () => {
    const patient = realHostIO({ timeoutMs: 30_000, ...where });
    const r = await patient.exec(['sh', '-c', 'i=0; while [ $i -lt 20000 ]; do echo "line $i ü€"; i=$((i + 1)); done']);
    expect(r.ok && r.stdout.split('\n').length).toBe(20001);
    expect(r.ok && r.stdout.endsWith('line 19999 ü€\n')).toBe(true);
  });
  it('bytes that are not UTF-8 decode as the whole output would, across pipe reads', async () => {
    const patient = realHostIO({ timeoutMs: 30_000, ...where });
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-test-'));
    // 200 KB: several reads of the pipe; stray continuation bytes and cut sequences throughout.
    const bytes = Buffer.concat(Array.from({ length: 20000 }, (_, i) => Buffer.from(i % 7 === 0 ? [0xe2, 0x82] : i % 5 === 0 ? [0x80, 0x41] : [...Buffer.from('ü€x')])));
    writeFileSync(join(dir, 'out.bin'), bytes);
    const r = await patient.exec(['cat', join(dir, 'out.bin')]);
    expect(r.ok && r.stdout === bytes.toString('utf8')).toBe(true);
  });
  it('ASCII output, every byte below 0x80 and 300 KB of it, is the text UTF-8 gives', async () => {
    const patient = realHostIO({ timeoutMs: 30_000, ...where });
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-test-'));
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 128));
    writeFileSync(join(dir, 'ascii.bin'), bytes);
    const r = await patient.exec(['cat', join(dir, 'ascii.bin')]);
    expect(r.ok && r.stdout === bytes.toString('utf8')).toBe(true);
    expect(r.ok && r.stdout.length).toBe(300_000);
  });
  it('commands run at once give what each gives alone', async () => {
    const patient = realHostIO({ timeoutMs: 30_000, ...where });
    const commands = [['echo', 'a;b', '$HOME'], ['sh', '-c', 'printf out; echo err >&2; exit 3'], ['portcullis-no-such-tool'], ['sh', '-c', 'sleep 0.2; echo late'], ['echo', 'early']];
    const together = await Promise.all(commands.map((argv) => patient.exec(argv)));
    const alone = [];
    for (const argv of commands) alone.push(await patient.exec(argv));
    expect(together).toEqual(alone);
    expect(together[1]).toEqual({ ok: true, code: 3, stdout: 'out', stderr: 'err\n' });
  });
  it('fs errors carry their code', async () => {
    await expect(io.readFile('/nonexistent/x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await io.readlink('/proc/self/exe')).toMatch(/node/);
    expect(io.hostname()).not.toBe('');
  });
});

describe('realHostIO with output files', () => {
  it('leaves no file behind, and falls back to a pipe where no file can be made', async () => {
    expect(readdirSync(OUTPUT_DIR)).toEqual([]);
    const nowhere = realHostIO({ timeoutMs: 5_000, outputDir: join(OUTPUT_DIR, 'missing') });
    expect(await nowhere.exec(['echo', 'still here'])).toEqual({ ok: true, code: 0, stdout: 'still here\n', stderr: '' });
  });

  it('a tool writing megabytes never waits for this thread to read them', async () => {
    // The tool waits until this thread is busy (as when it starts other tools), writes 2 MB and
    // notes when it is done.
    const argv = ['sh', '-c', 'sleep 0.3; head -c 2000000 /dev/zero; date +%s%N >&2'];
    const busyFor = async (io: ReturnType<typeof realHostIO>): Promise<bigint> => {
      const result = io.exec(argv);
      // Started by now, either way (the output file is made first).
      await new Promise((r) => setImmediate(r));
      const until = Date.now() + 1500;
      while (Date.now() < until);
      const r = await result;
      if (!r.ok) throw new Error(r.message);
      expect(r.stdout.length).toBe(2_000_000);
      // Written before this thread was free again (nanoseconds since the epoch, as `date` gives).
      return BigInt(r.stderr.trim()) - BigInt(until) * 1_000_000n;
    };
    expect(await busyFor(realHostIO({ timeoutMs: 30_000, outputDir: OUTPUT_DIR }))).toBeLessThan(0n);
    expect(await busyFor(realHostIO({ timeoutMs: 30_000 }))).toBeGreaterThan(0n);
  });
});

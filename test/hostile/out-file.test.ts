/**
 * Issue 9, items 10-12: `--out` must not destroy what it does not own (devices, FIFOs,
 * links, its own inputs), and an interrupted write must not leave temporary files behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, snapshotOf, sock, tempDir, writeSnapshot } from './hostile-helpers.js';

const { dir, cleanup } = tempDir('out');
afterAll(cleanup);
let snap: string;
let snapText: string;
beforeAll(() => {
  snap = writeSnapshot(dir, 'in.json', snapshotOf([sock('tcp', '127.0.0.1', 22)]));
  snapText = readFileSync(snap, 'utf8');
});
const audit = (out: string, extra: string[] = []) => runCli(['audit', '--snapshot', snap, '--json', '--out', out, ...extra]);

describe('--out on special files', () => {
  it.each(['/dev/null', '/dev/stdout'])('%s is written through and stays what it was', (dev) => {
    const before = lstatSync(dev);
    const r = audit(dev);
    expect(r.code, r.stderr).toBe(0);
    const after = lstatSync(dev);
    expect([after.ino, after.isSymbolicLink(), after.isCharacterDevice()]).toEqual([before.ino, before.isSymbolicLink(), before.isCharacterDevice()]);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    if (dev === '/dev/stdout') expect(JSON.parse(r.stdout).format).toBe('portcullis-audit');
  });

  it('/dev/full is a write error (exit 2) and stays a device', () => {
    const r = audit('/dev/full');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write /dev/full: no space left on device');
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('a FIFO is written through to its reader and stays a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.setEncoding('utf8').on('data', (d: string) => (got += d));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const r = await new Promise<number | null>((resolve) => {
      const c = spawn(process.execPath, [join(process.cwd(), 'dist/cli/bin.js'), 'audit', '--snapshot', snap, '--json', '--out', fifo]);
      c.on('close', resolve);
    });
    await closed;
    expect(r).toBe(0);
    expect(JSON.parse(got).format).toBe('portcullis-audit');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a symbolic link is followed: the target gets the report, the link stays a link', () => {
    const target = join(dir, 'real-report.json');
    writeFileSync(target, 'old');
    const link = join(dir, 'report-link.json');
    symlinkSync(target, link);
    const r = audit(link);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).format).toBe('portcullis-audit');
  });

  it('a dangling link, a directory and a listening socket file are refused or fail with exit 2, untouched', () => {
    const dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'nowhere', 'x'), dangling);
    expect(audit(dangling)).toMatchObject({ code: 2, stderr: expect.stringContaining('symbolic link that points nowhere') });
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(audit(sub)).toMatchObject({ code: 2, stderr: expect.stringContaining('it is a directory') });
    const socketPath = join(dir, 'sock');
    // A listener killed with SIGKILL leaves its socket file behind: a socket nobody listens on.
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(existsSync(socketPath)).toBe(true);
    expect(audit(socketPath)).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot write') });
    expect(lstatSync(socketPath).isSocket()).toBe(true);
  });
});

describe('--out equal to an input', () => {
  it.each([
    ['the same path', () => snap],
    ['a hard link', () => { const p = join(dir, 'hard.json'); if (!existsSync(p)) linkSync(snap, p); return p; }],
    ['a symbolic link', () => { const p = join(dir, 'soft.json'); if (!existsSync(p)) symlinkSync(snap, p); return p; }],
    ['another spelling', () => join(dir, '.', 'sub', '..', 'in.json')],
  ])('%s of the snapshot is refused, the snapshot intact', (_what, out) => {
    const r = audit(out());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it is also an input');
    expect(readFileSync(snap, 'utf8')).toBe(snapText);
  });

  it('the policy file and diff inputs are inputs too', () => {
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'version: 1\n');
    expect(audit(policy, ['--config', policy]).code).toBe(2);
    expect(readFileSync(policy, 'utf8')).toBe('version: 1\n');
    const other = writeSnapshot(dir, 'other.json', snapshotOf([sock('tcp', '127.0.0.1', 22)]));
    const r = runCli(['diff', snap, other, '--out', other]);
    expect(r.code).toBe(2);
    expect(JSON.parse(readFileSync(other, 'utf8')).format).toBe('portcullis-snapshot');
  });
});

describe('temporary files', () => {
  // A child writes a big file through writeFileAtomic; the signal arrives while the temporary file exists.
  const script = (out: string) => `
    import { writeFileAtomic } from ${JSON.stringify(join(process.cwd(), 'dist/collect/atomic-write.js'))};
    const data = Buffer.alloc(400 * 1024 * 1024, 120);
    await writeFileAtomic(${JSON.stringify(out)}, data);
    process.stdout.write('finished');`;

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s during a write removes the temporary file (exit %i)', async (signal, status) => {
    const sub = join(dir, `sig-${signal}`);
    mkdirSync(sub);
    const child = spawn(process.execPath, ['--input-type=module', '-e', script(join(sub, 'report.json'))], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !readdirSync(sub).some((n) => n.endsWith('.tmp'))) await new Promise((r) => setTimeout(r, 5));
    expect(readdirSync(sub).some((n) => n.endsWith('.tmp')), 'the temporary file never appeared').toBe(true);
    child.kill(signal);
    const code = await exited;
    expect(stdout, 'the write finished before the signal: make the data bigger').toBe('');
    expect(code).toBe(status);
    expect(readdirSync(sub)).toEqual([]);
  }, 60_000);

  it('a write removes stale temporary files of its path whose process is gone, and only those', () => {
    const sub = join(dir, 'stale');
    mkdirSync(sub);
    const dead = '.report.json.2147483646.0123456789ab.tmp';
    const living = `.report.json.${process.pid}.0123456789ab.tmp`;
    const otherFile = '.other.json.2147483646.0123456789ab.tmp';
    for (const n of [dead, living, otherFile]) writeFileSync(join(sub, n), '');
    const r = audit(join(sub, 'report.json'));
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(sub).sort()).toEqual([living, otherFile, 'report.json'].sort());
  });
});

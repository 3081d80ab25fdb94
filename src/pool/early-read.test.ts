import { execFileSync } from 'node:child_process';
import { appendFileSync, constants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// A fresh module per test: the early read is module state.
async function fresh() {
  vi.resetModules();
  return import('./early-read.js');
}

describe('early snapshot read', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'pc-early-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('hands the bytes read early to the read of the same path, once; another path is read then', async () => {
    const d = dir();
    const big = join(d, 'big.json');
    const bytes = Buffer.alloc(3 << 20, 0x61);
    bytes.write('{"x":', 0);
    writeFileSync(big, bytes);
    const other = join(d, 'other.json');
    writeFileSync(other, '{}');
    const m = await fresh();
    m.readEarly(big);
    // The early read is done before the file changes: what it read is what the read returns.
    const first = await m.readSnapshotBytes(big);
    expect(first.equals(bytes)).toBe(true);
    writeFileSync(big, 'changed, and read again');
    expect((await m.readSnapshotBytes(big)).toString()).toBe('changed, and read again');
    expect((await m.readSnapshotBytes(other)).toString()).toBe('{}');
  });

  it('a file that grows while read early, a small file, a missing one: the read at use decides', async () => {
    const d = dir();
    const big = join(d, 'big.json');
    writeFileSync(big, Buffer.alloc(2 << 20, 0x62));
    let m = await fresh();
    m.readEarly(big);
    appendFileSync(big, 'tail');
    const read = await m.readSnapshotBytes(big);
    expect(read.equals(readFileSync(big))).toBe(true);

    const small = join(d, 'small.json');
    writeFileSync(small, '{"small":true}');
    m = await fresh();
    m.readEarly(small);
    expect((await m.readSnapshotBytes(small)).toString()).toBe('{"small":true}');

    m = await fresh();
    m.readEarly(join(d, 'missing.json'));
    await expect(m.readSnapshotBytes(join(d, 'missing.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('never opens a FIFO: nobody writing to it cannot hold the read (or the process) up', async () => {
    const d = dir();
    const fifo = join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const m = await fresh();
    m.readEarly(fifo);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // No reader holds it open: a writer that will not wait finds nobody (ENXIO).
    expect(() => openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)).toThrow(/ENXIO/);
    // The read at use opens it, and a writer answers it.
    const reading = m.readSnapshotBytes(fifo);
    const writer = new Promise<void>((resolve) => setTimeout(() => (writeFileSync(fifo, '{"from":"fifo"}'), resolve()), 50));
    await writer;
    expect((await reading).toString()).toBe('{"from":"fifo"}');
  });
});

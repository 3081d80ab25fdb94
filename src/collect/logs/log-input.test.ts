import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectLogFile, readLogBytes, readLogHead, splitAtLines } from './log-input.js';

const dir = mkdtempSync(join(tmpdir(), 'portcullis-log-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 2.7 MiB of numbered lines: more than two read buffers, so they are reused. */
const lines = Array.from({ length: 80000 }, (_, i) => `line ${String(i).padStart(8, '0')} ${'x'.repeat(i % 40)}`);
const text = Buffer.from(lines.join('\n') + '\n');
const plain = join(dir, 'kern.log');
writeFileSync(plain, text);
const gzip = join(dir, 'kern.log.1.gz');
writeFileSync(gzip, gzipSync(text));

/** Copies every chunk at once, as a consumer that keeps bytes must. */
async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

describe('readLogBytes', () => {
  it('yields a plain file whole, in order, through its reused buffers', async () => {
    const file = await inspectLogFile(plain);
    expect(text.length).toBeGreaterThan(2 << 20);
    expect((await collect(readLogBytes(file))).equals(text)).toBe(true);
  });

  it('yields byte ranges exactly, and the ranges of splitAtLines make up the file', async () => {
    const file = await inspectLogFile(plain);
    expect((await collect(readLogBytes(file, { start: 1_000_003, end: 2_200_001 }))).equals(text.subarray(1_000_003, 2_200_001))).toBe(true);
    const parts = await splitAtLines(file, 3);
    expect(parts.length).toBe(3);
    const joined = Buffer.concat(await Promise.all(parts.map((r) => collect(readLogBytes(file, r)))));
    expect(joined.equals(text)).toBe(true);
  });

  it('decompresses gzip files by their magic bytes', async () => {
    const file = await inspectLogFile(gzip);
    expect(file.gzip).toBe(true);
    expect((await collect(readLogBytes(file))).equals(text)).toBe(true);
  });

  it('readLogHead keeps its own copy of the head, even across buffers, and stops early', async () => {
    const file = await inspectLogFile(plain);
    const max = (1 << 20) + 12345;
    expect((await readLogHead(file, max)).equals(text.subarray(0, max))).toBe(true);
    expect((await readLogHead(await inspectLogFile(gzip), 100)).equals(text.subarray(0, 100))).toBe(true);
  });

  it('names the file when it cannot be read', async () => {
    const file = { path: join(dir, 'gone.log'), size: 10, gzip: false, mtime: 0 };
    await expect(collect(readLogBytes(file))).rejects.toThrow(/gone\.log: no such file/);
  });
});

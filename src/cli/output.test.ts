import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { writeOutput, writePieces } from './output.js';

// Pieces as a report renderer makes them: a character outside Latin-1 and one outside the BMP.
const pieces = ['{\n  "a": "x – …",', '\n  "b": "😀"', '\n}\n'];
const whole = pieces.join('');

describe('writeOutput with a report in pieces', () => {
  it('replaces a regular file with the pieces, in order, as UTF-8', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-out-'));
    const out = join(dir, 'report.json');
    await writeOutput(out, 'old contents, longer than the new ones by far, so a leftover tail would show');
    await writeOutput(out, pieces);
    expect(readFileSync(out, 'utf8')).toBe(whole);
  });

  it('writes the pieces through a FIFO to its reader', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-out-'));
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const read = new Promise<string>((resolve, reject) => {
      const parts: Buffer[] = [];
      createReadStream(fifo).on('data', (b) => parts.push(b as Buffer)).on('end', () => resolve(Buffer.concat(parts).toString('utf8'))).on('error', reject);
    });
    await writeOutput(fifo, pieces);
    expect(await read).toBe(whole);
  });
});

describe('writePieces', () => {
  // A stream that takes one chunk at a time, slowly, as a pipe to a slow reader does, and
  // records how many chunks each of its writes was handed at once.
  function slowSink(): { sink: Writable; batches: number[]; text: () => string } {
    const batches: number[] = [];
    const parts: string[] = [];
    const sink = new Writable({
      highWaterMark: 1024,
      decodeStrings: false,
      write(chunk: string, _enc, done) {
        batches.push(1);
        parts.push(chunk);
        setImmediate(done);
      },
      writev(chunks, done) {
        batches.push(chunks.length);
        for (const c of chunks) parts.push(c.chunk as string);
        setImmediate(done);
      },
    });
    return { sink, batches, text: () => parts.join('') };
  }

  it('hands a slow stream one piece at a time, never the whole report in one writev', async () => {
    const report = Array.from({ length: 50 }, (_, i) => `${i}:${'x'.repeat(4096)}\n`);
    const { sink, batches, text } = slowSink();
    await writePieces(sink, report);
    expect(text()).toBe(report.join(''));
    // Queued all at once, the 49 pieces after the first would reach writev together.
    expect(Math.max(...batches)).toBeLessThanOrEqual(2);
  });

  it('resolves on an empty report', async () => {
    const { sink, text } = slowSink();
    await writePieces(sink, []);
    expect(text()).toBe('');
  });
});

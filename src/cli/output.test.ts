import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Writable } from 'node:stream';
import { writeOutput, writePieces, writePiecesToFile } from './output.js';

// Pieces as a report renderer makes them: a character outside Latin-1 and one outside the BMP.
const pieces = ['{\n  "a": "x – …",', '\n  "b": "😀"', '\n}\n'];
const whole = pieces.join('');

/** A fresh folder for one test, removed when the file's tests end (they left ~100 behind in /tmp). */
const made: string[] = [];
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-out-'));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('writeOutput with a report in pieces', () => {
  it('replaces a regular file with the pieces, in order, as UTF-8', async () => {
    const dir = scratchDir();
    const out = join(dir, 'report.json');
    await writeOutput(out, 'old contents, longer than the new ones by far, so a leftover tail would show');
    await writeOutput(out, pieces);
    expect(readFileSync(out, 'utf8')).toBe(whole);
  });

  it('streams a report of many pieces into the file: it lands whole, with no temporary file left', async () => {
    const dir = scratchDir();
    const out = join(dir, 'report.json');
    // 3 MB in 48 pieces, past the 1 MB write buffer several times, with one piece larger than it.
    const many = Array.from({ length: 48 }, (_, i) => `${i}:${'é…😀x'.repeat(i === 20 ? 400_000 : 9_000)}\n`);
    await writeOutput(out, 'old');
    await writeOutput(out, many);
    expect(readFileSync(out, 'utf8')).toBe(many.join(''));
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('writes each piece of a report made on demand to the temporary file as it comes (no whole-report buffer)', async () => {
    const dir = scratchDir();
    const out = join(dir, 'report.json');
    const written: number[] = [];
    const big = 'y'.repeat(1_500_000);
    const lazy = {
      each(emit: (piece: string) => void) {
        for (let i = 0; i < 3; i++) {
          emit(big);
          const temp = readdirSync(dir).find((n) => n.endsWith('.tmp'));
          written.push(temp ? statSync(join(dir, temp)).size : 0);
        }
      },
    };
    await writeOutput(out, lazy);
    expect(written).toEqual([1_500_000, 3_000_000, 4_500_000]);
    expect(statSync(out).size).toBe(4_500_000);
  });

  it('keeps the old file when the report fails part-way through, and the failure stays what it was', async () => {
    const dir = scratchDir();
    const out = join(dir, 'report.json');
    await writeOutput(out, 'old report\n');
    const failing = {
      each(emit: (piece: string) => void) {
        emit('x'.repeat(2_000_000));
        throw new TypeError('renderer failed');
      },
    };
    await expect(writeOutput(out, failing)).rejects.toThrow(new TypeError('renderer failed'));
    expect(readFileSync(out, 'utf8')).toBe('old report\n');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('writes the pieces through a FIFO to its reader', async () => {
    const dir = scratchDir();
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

describe('writePiecesToFile', () => {
  it('encodes pieces into its buffer, writing whenever the next might not fit, and large pieces on their own', async () => {
    const dir = scratchDir();
    const path = join(dir, 'pieces.txt');
    const text = ['ab', 'ç😀', 'x'.repeat(40), '', '–', 'end\n'];
    const file = await open(path, 'w');
    try {
      await writePiecesToFile(file, text, 16);
    } finally {
      await file.close();
    }
    expect(readFileSync(path, 'utf8')).toBe(text.join(''));
  });

  it('takes a piece larger than its buffer slice by slice, never splitting a surrogate pair', async () => {
    const dir = scratchDir();
    const path = join(dir, 'slices.txt');
    // A 16-byte buffer takes 5 units a slice: the pairs fall across every boundary in turn.
    const piece = 'ab😀c😀😀d–é😀xyz😀😀😀'.repeat(7) + '\ud800' + 'tail😀';
    const file = await open(path, 'w');
    try {
      await writePiecesToFile(file, ['<', piece, '>'], 16);
    } finally {
      await file.close();
    }
    expect(readFileSync(path)).toEqual(Buffer.from(`<${piece}>`, 'utf8'));
  });
});

describe('writeOutput with a report in one string', () => {
  it('writes it through the 1 MB file buffer, never encoding the whole report at once', async () => {
    const dir = scratchDir();
    const out = join(dir, 'report.html');
    const report = `<p>${'é…😀x'.repeat(600_000)}</p>\n`;
    const from = vi.spyOn(Buffer, 'from');
    try {
      await writeOutput(out, report);
      const encoded = from.mock.calls.filter(([value]) => typeof value === 'string' && value.length >= report.length);
      expect(encoded).toEqual([]);
    } finally {
      from.mockRestore();
    }
    expect(readFileSync(out, 'utf8')).toBe(report);
    expect(readdirSync(dir)).toEqual(['report.html']);
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

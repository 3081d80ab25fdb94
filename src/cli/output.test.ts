import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutput } from './output.js';

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

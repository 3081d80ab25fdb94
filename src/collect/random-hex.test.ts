import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomHex } from './random-hex.js';

describe('randomHex', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-random-hex-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives 2 hex digits per byte, different each time', async () => {
    const names = await Promise.all(Array.from({ length: 20 }, () => randomHex(6)));
    for (const n of names) expect(n).toMatch(/^[0-9a-f]{12}$/);
    expect(new Set(names).size).toBe(20);
  });

  it('reads its source: the bytes of a file, as hex', async () => {
    const f = join(dir, 'bytes');
    writeFileSync(f, Buffer.from([0x00, 0x0f, 0xa5, 0xff]));
    expect(await randomHex(3, f)).toBe('000fa5');
  });

  it('falls back to node:crypto when the source is missing or too short', async () => {
    const short = join(dir, 'short');
    writeFileSync(short, Buffer.from([1, 2]));
    const fromMissing = await randomHex(6, join(dir, 'missing'));
    const fromShort = await randomHex(6, short);
    expect(fromMissing).toMatch(/^[0-9a-f]{12}$/);
    expect(fromShort).toMatch(/^[0-9a-f]{12}$/);
    // Not the two bytes read and zeros after them.
    expect(fromShort).not.toBe('010200000000');
  });
});

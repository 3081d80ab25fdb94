import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

function fakeTty(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream, written };
}

describe('Progress', () => {
  it('on a terminal, for large input: bytes, share, throughput and time left on one line', async () => {
    const { stream, written } = fakeTty(true);
    const p = new Progress(1000 << 20, stream);
    await new Promise((r) => setTimeout(r, 250));
    p.add(250 << 20);
    expect(written.at(-1)).toMatch(/^\r\x1b\[Kreading 250 of 1000 MB \(25%\), \d+ MB\/s, \d+ s left$/);
    p.end();
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('silent when not a terminal or the input is small', async () => {
    for (const [tty, size] of [[false, 1000 << 20], [true, 10 << 20]] as const) {
      const { stream, written } = fakeTty(tty);
      const p = new Progress(size, stream);
      await new Promise((r) => setTimeout(r, 250));
      p.add(size / 2);
      p.end();
      expect(written).toEqual([]);
    }
  });
});

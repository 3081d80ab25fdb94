import { describe, expect, it } from 'vitest';
import { runPool } from './pool.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runPool', () => {
  it('never has more than `concurrency` tasks in flight, and keeps result order', async () => {
    let inFlight = 0;
    let peak = 0;
    const tasks = Array.from({ length: 50 }, (_, i) => ({
      key: 't',
      run: async () => {
        peak = Math.max(peak, ++inFlight);
        await sleep(1 + (i % 3));
        inFlight--;
        return i;
      },
    }));
    expect(await runPool(tasks, { concurrency: 7, ratePerKey: 0 })).toEqual(tasks.map((_, i) => i));
    expect(peak).toBe(7);
  });
  it('spaces the starts of one key by the rate, not those of different keys', async () => {
    const starts: Record<string, number[]> = { a: [], b: [] };
    const tasks = ['a', 'b', 'a', 'b', 'a', 'b'].map((key) => ({ key, run: async () => void starts[key]!.push(Date.now()) }));
    await runPool(tasks, { concurrency: 10, ratePerKey: 20 });
    for (const key of ['a', 'b']) {
      const s = starts[key]!;
      // 20 per second: 50 ms apart (timers may fire a little early or late).
      expect(s[2]! - s[0]!).toBeGreaterThanOrEqual(90);
    }
    expect(Math.abs(starts['a']![0]! - starts['b']![0]!)).toBeLessThan(40);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttemptBatch } from './attempt-batch.js';

describe('attempt batch', () => {
  it('groups rows by source, ascending, each source\'s rows in the order they came (property)', () => {
    const row = fc.record({ id: fc.integer({ min: 0, max: 3000 }), key: fc.integer({ min: -5, max: 262_143 }), count: fc.integer({ min: 1, max: 0x3fff_ffff }), mark: fc.integer({ min: 0, max: 1000 }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 200 }), (rows) => {
        const batch = new AttemptBatch(rows.length);
        // Twice: clear() must leave nothing behind for the next batch.
        for (let round = 0; round < 2; round++) {
          rows.forEach((r, i) => expect(batch.add(r.id, 1e12 + i, r.key, r.count, r.mark)).toBe(i === rows.length - 1));
          batch.sort();
          const ids = [...new Set(rows.map((r) => r.id))].sort((a, b) => a - b);
          expect([...batch.touched.subarray(0, batch.touchedCount)]).toEqual(ids);
          let j = 0;
          for (const id of ids) {
            const want = rows.map((r, i) => ({ ...r, time: 1e12 + i })).filter((r) => r.id === id);
            const end = batch.ends[id]!;
            expect(end - j).toBe(want.length);
            for (const w of want) {
              expect([batch.sortedTimes[j], batch.sortedInts[j * 3], batch.sortedInts[j * 3 + 1], batch.sortedInts[j * 3 + 2]]).toEqual([w.time, w.key, w.count, w.mark]);
              j++;
            }
          }
          expect(j).toBe(rows.length);
          batch.clear();
          expect(batch.size).toBe(0);
          expect(batch.touchedCount).toBe(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});

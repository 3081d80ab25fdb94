import { describe, expect, it } from 'vitest';
import { IsoTimes } from './iso-time.js';

describe('IsoTimes', () => {
  it('writes what toISOString writes', () => {
    const iso = new IsoTimes();
    const times = [0, 1, 999, 1000, 59_999, 3_599_999, 86_399_999, 86_400_000, Date.UTC(2026, 11, 1, 10, 0, 0), Date.UTC(2024, 1, 29, 23, 59, 59, 999), 253_402_300_799_999];
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      times.push(Date.UTC(2020, 0, 1) + (x % 400_000) * 997 + (i % 1000));
    }
    for (const t of times) expect(iso.format(t)).toBe(new Date(t).toISOString());
  });

  it('asks Date outside years 1970-9999 and for fractions, so it fails where toISOString fails', () => {
    const iso = new IsoTimes();
    expect(iso.format(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(iso.format(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
    expect(() => iso.format(NaN)).toThrow(RangeError);
    expect(iso.format(1_764_583_200_123.75)).toBe(new Date(1_764_583_200_123.75).toISOString());
  });
});

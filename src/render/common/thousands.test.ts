import { describe, expect, it } from 'vitest';
import { withThousands } from './thousands.js';

describe('withThousands', () => {
  it("writes integers as toLocaleString('en') does", () => {
    const values = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 10000, 20189, 99999, 100000, 999999, 1000000, 1234567890, Number.MAX_SAFE_INTEGER, -1, -999, -1000, -1234567];
    for (let k = 0; k < 2000; k++) values.push(Math.floor(Math.random() * 10 ** (k % 16)));
    for (const n of values) expect(withThousands(n)).toBe(n.toLocaleString('en'));
  });

  it('leaves other numbers to ICU', () => {
    for (const n of [-0, 1.5, 1234.5678, -0.25, Number.MAX_SAFE_INTEGER + 2, Infinity, NaN]) expect(withThousands(n)).toBe(n.toLocaleString('en'));
  });
});

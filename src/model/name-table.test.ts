import { describe, expect, it } from 'vitest';
import { nameTable } from './name-table.js';

/** Every name Object.prototype answers to, and the one that reaches the prototype itself. */
const PROTOTYPE_NAMES = [...Object.getOwnPropertyNames(Object.prototype), '__proto__'];

describe('nameTable', () => {
  it('finds its own names and nothing from Object.prototype', () => {
    const table = nameTable({ tcp: 6, udp: 17 });
    expect(table['tcp']).toBe(6);
    expect(Object.keys(table)).toEqual(['tcp', 'udp']);
    for (const name of PROTOTYPE_NAMES) expect(table[name], name).toBeUndefined();
    // What a plain literal answers, which is why the tables are made this way.
    const plain: Record<string, number> = { tcp: 6 };
    expect(plain['constructor']).toBeDefined();
  });

  it('cannot be changed afterwards', () => {
    const table = nameTable<number>({ tcp: 6 }) as Record<string, number>;
    expect(() => {
      table['udp'] = 17;
    }).toThrow(TypeError);
  });
});

import { describe, expect, it } from 'vitest';
import { parsePortSpec } from './port-spec.js';
import { TOP_1000_TCP } from './top-ports.js';

describe('parsePortSpec', () => {
  it('lists, ranges, each port once, in the order given', () => {
    expect(parsePortSpec('22,80,443,6000-6003,80')).toEqual({ ports: [22, 80, 443, 6000, 6001, 6002, 6003], error: null });
  });
  it('all and top1000', () => {
    expect(parsePortSpec('all').ports).toHaveLength(65535);
    const top = parsePortSpec('top1000').ports!;
    expect(top).toHaveLength(1000);
    expect(new Set(top).size).toBe(1000);
    // nmap's most frequent TCP ports lead the list.
    expect(top.slice(0, 5)).toEqual([80, 23, 443, 21, 22]);
    expect(top).toEqual(TOP_1000_TCP);
  });
  it('says what is wrong and what it expects', () => {
    for (const bad of ['0', '70000', '10-5', 'ssh', '22,,80', '']) {
      const r = parsePortSpec(bad);
      expect(r.ports, bad).toBeNull();
      expect(r.error).toMatch(/expected ports 1-65535/);
    }
  });
});

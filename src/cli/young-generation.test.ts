import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { youngGenerationIsOurs } from './young-generation.js';

describe('youngGenerationIsOurs', () => {
  it('leaves a size the user chose on the command line or in NODE_OPTIONS', () => {
    expect(youngGenerationIsOurs([], undefined)).toBe(true);
    expect(youngGenerationIsOurs(['--enable-source-maps'], '--max-old-space-size=4096')).toBe(true);
    expect(youngGenerationIsOurs(['--max-semi-space-size=32'], undefined)).toBe(false);
    expect(youngGenerationIsOurs([], '--min-semi-space-size=8')).toBe(false);
    expect(youngGenerationIsOurs(['--semi-space-growth-factor=4'], '')).toBe(false);
  });
});

describe('the growth factor set after start', () => {
  // The module relies on V8 reading the factor at each growth; a Node whose V8 stopped doing
  // so would let the semi-spaces grow again, and this test says so.
  it('keeps the new space at its starting size while survivors pile up', () => {
    const script = `
      const v8 = require('node:v8');
      if (process.argv[1] === 'set') v8.setFlagsFromString('--semi-space-growth-factor=1');
      const keep = [];
      for (let i = 0; i < 4e5; i++) keep.push({ i, a: [i] });
      const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
      process.stdout.write(String(s.space_size));`;
    const size = (arg: string): number => Number(spawnSync(process.execPath, ['-e', script, arg], { encoding: 'utf8' }).stdout);
    expect(size('set')).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(size('unset')).toBeGreaterThan(2 * 1024 * 1024);
  });
});

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HEADROOM_BYTES, mallocHeadroomIsOurs } from './malloc-headroom.js';

describe('mallocHeadroomIsOurs', () => {
  it('raises the thresholds on Linux unless the environment sets glibc malloc settings', () => {
    expect(mallocHeadroomIsOurs('linux', { PATH: '/usr/bin' })).toBe(true);
    expect(mallocHeadroomIsOurs('linux', { MALLOC_TRIM_THRESHOLD_: '1000000' })).toBe(false);
    expect(mallocHeadroomIsOurs('linux', { MALLOC_MMAP_THRESHOLD_: '131072' })).toBe(false);
    expect(mallocHeadroomIsOurs('linux', { GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=0' })).toBe(false);
    expect(mallocHeadroomIsOurs('darwin', {})).toBe(false);
  });
});

describe.runIf(process.platform === 'linux')('a freed block of HEADROOM_BYTES at start', () => {
  // The module relies on glibc raising its trim threshold when a mmapped block is freed; a libc
  // that did not would fault in every batch of huge sets afresh, and this test says so. Page
  // faults are counted, not timed.
  it('lets later batches of huge typed arrays reuse freed memory instead of faulting in new pages', () => {
    const script = `
      if (process.argv[1] === 'set') new ArrayBuffer(${HEADROOM_BYTES});
      gc();
      gc();
      const before = process.resourceUsage().minorPageFault;
      for (let round = 0; round < 20; round++) {
        let batch = [];
        for (let k = 0; k < 4; k++) batch.push(new Float64Array(200000 + 16 * round + k).fill(1));
        batch = null;
        gc();
      }
      process.stdout.write(String(process.resourceUsage().minorPageFault - before));`;
    const faults = (arg: string): number => Number(spawnSync(process.execPath, ['--expose-gc', '-e', script, arg], { encoding: 'utf8' }).stdout);
    // 20 batches of 6.4 MB are 31,000 pages: unset, a third or more of them are new.
    expect(faults('unset')).toBeGreaterThan(7_500);
    expect(faults('set')).toBeLessThan(faults('unset') / 2);
  });
});

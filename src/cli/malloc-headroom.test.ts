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
  // faults are counted, not timed. V8 frees a dead buffer's memory on a background sweeper thread
  // some time after the collection that found it dead: the script waits until the block's mapping
  // is gone from /proc/self/maps (up to 5 s) before counting, and says so if it never went.
  it('lets later batches of huge typed arrays reuse freed memory instead of faulting in new pages', () => {
    const script = `
      const fs = require('node:fs');
      const headroomMapped = () => fs.readFileSync('/proc/self/maps', 'utf8').split('\\n').some((line) => {
        const [from, to] = line.split(' ')[0].split('-').map((h) => parseInt(h, 16));
        return to - from >= ${HEADROOM_BYTES} && to - from <= ${HEADROOM_BYTES} + 65536;
      });
      (async () => {
        if (process.argv[1] === 'set') {
          new ArrayBuffer(${HEADROOM_BYTES});
          const until = Date.now() + 5000;
          do { gc(); await new Promise((r) => setTimeout(r, 10)); } while (headroomMapped() && Date.now() < until);
          if (headroomMapped()) { process.stdout.write('never freed'); return; }
        }
        gc();
        gc();
        const before = process.resourceUsage().minorPageFault;
        for (let round = 0; round < 20; round++) {
          let batch = [];
          for (let k = 0; k < 4; k++) batch.push(new Float64Array(200000 + 16 * round + k).fill(1));
          batch = null;
          gc();
        }
        process.stdout.write(String(process.resourceUsage().minorPageFault - before));
      })();`;
    const faults = (arg: string): number => {
      const out = spawnSync(process.execPath, ['--expose-gc', '-e', script, arg], { encoding: 'utf8' }).stdout;
      expect(out, `fault count of the '${arg}' run`).toMatch(/^\d+$/);
      return Number(out);
    };
    // 20 batches of 6.4 MB are 31,000 pages: unset, a third or more of them are new.
    const unset = faults('unset');
    const set = faults('set');
    expect(unset).toBeGreaterThan(7_500);
    expect(set).toBeLessThan(unset / 2);
  });
});

/**
 * The benchmarks' own tests (node:test, beside their generators in bench/) run with the suite, so
 * a generator that no longer loads into the real tools fails CI rather than the next benchmark run.
 * Their namespace tests need root and say so when skipped.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the benchmark generators', () => {
  it('pass their node:test suites (dumps the real tools load, prefixes, medians)', () => {
    const run = spawnSync(process.execPath, ['--test', 'bench/generate.test.mjs', 'bench/real-hosts.test.mjs'], { encoding: 'utf8', timeout: 110_000 });
    const summary = (run.stdout ?? '').split('\n').filter((l) => /^# (tests|pass|fail|skipped)/.test(l)).join('; ');
    const skipped = (run.stdout ?? '').split('\n').filter((l) => /# SKIP/.test(l));
    if (skipped.length > 0) console.warn(`benchmark generator tests skipped (they say why):\n${skipped.join('\n')}`);
    expect(run.status, `${summary}\n${run.stdout}\n${run.stderr}`).toBe(0);
    expect(summary).toMatch(/# pass [1-9]/);
  });
});

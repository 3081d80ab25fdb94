import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { inliningBudgetIsOurs } from './inlining-budget.js';

describe('inliningBudgetIsOurs', () => {
  it('leaves a budget the user chose on the command line or in NODE_OPTIONS', () => {
    expect(inliningBudgetIsOurs([], undefined)).toBe(true);
    expect(inliningBudgetIsOurs(['--enable-source-maps'], '--max-old-space-size=4096')).toBe(true);
    expect(inliningBudgetIsOurs(['--max-inlined-bytecode-size-cumulative=920'], undefined)).toBe(false);
    expect(inliningBudgetIsOurs([], '--no-turbo-inlining')).toBe(false);
  });
});

describe('the inlining budget set after start', () => {
  // The module relies on V8 reading the budget at each optimizing compile; a Node whose V8 read
  // it once at start would inline as before, and this test says so.
  it('makes TurboFan inline less in code optimized afterwards', () => {
    const script = `
      if (process.argv[1] === 'set') require('node:v8').setFlagsFromString('--max-inlined-bytecode-size-cumulative=0');
      const a = (x) => { let t = x; for (let k = 0; k < 3; k++) t = (t * 31 + k) % 1000003; return t; };
      const b = (x) => { let t = a(x); for (let k = 0; k < 3; k++) t = (t ^ (k * 7)) + a(t); return t; };
      const c = (x) => { let t = b(x); for (let k = 0; k < 3; k++) t = (t + b(k)) % 65521; return t; };
      const d = (x) => c(x) - b(x) + a(x);
      let s = 0;
      for (let i = 0; i < 3e6; i++) s += d(i) & 7;
      process.stdout.write(String(s));`;
    const inlined = (arg: string): number => {
      const out = spawnSync(process.execPath, ['--trace-turbo-inlining', '-e', script, arg], { encoding: 'utf8' }).stdout;
      return out.split('\n').filter((l) => l.startsWith('Inlining')).length;
    };
    // Functions under V8's small-function size are inlined whatever the budget: fewer, not none.
    expect(inlined('set')).toBeLessThan(inlined('unset'));
  });
});

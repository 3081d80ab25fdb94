/**
 * Caps how much TurboFan inlines into one optimized function at a quarter of V8's default
 * (`--max-inlined-bytecode-size-cumulative`, 920 bytes of bytecode), for the whole CLI process,
 * unless the user chose a budget (on the command line or in NODE_OPTIONS).
 *
 * Why: a CLI run is short, and V8 optimizes hundreds of its functions on a background thread
 * whose CPU counts as much as the main thread's on a 2-core machine. Counted with cachegrind on
 * kube-proxy nft 5,000's `audit --format json`, optimizing compiles were a third of all the
 * instructions the process ran (5.9 of 17.3 G); at a quarter of the inlining budget they were 3.8 G,
 * the optimized code itself ran 5 % more (4.9 G), and the whole run 12 % fewer (15.2 G) (issue 8,
 * BENCHMARKS.md, branch nftload9). V8 reads the flag at each compile, so setting it after start
 * works (inlining-budget.test.ts).
 *
 * @module
 */
import { setFlagsFromString } from 'node:v8';

/** V8's flag that bounds inlining per optimized function, as a user would write it. */
const USER_CHOICE = /--max-inlined-bytecode-size-cumulative|--max_inlined_bytecode_size_cumulative|--(no-)?turbo-inlining/;

/** Whether the inlining budget is ours to pick, for this process's flags. */
export function inliningBudgetIsOurs(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return !execArgv.some((a) => USER_CHOICE.test(a)) && !USER_CHOICE.test(nodeOptions ?? '');
}

if (inliningBudgetIsOurs(process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString('--max-inlined-bytecode-size-cumulative=230');

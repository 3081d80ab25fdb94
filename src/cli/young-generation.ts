/**
 * Keeps V8's young generation at the size it starts with (1 MB semi-spaces) for the whole CLI
 * process, unless the user chose a size (`node --max-semi-space-size=…`, NODE_OPTIONS).
 *
 * Why: a load or an analysis keeps most of what it allocates (rules, packet sets), so the
 * scavenger finds many survivors and V8 doubles the semi-spaces up to 16 MB each. On the
 * project's VM the first touch of a page is slow (~2.6 ms per MB a process grows), and the
 * larger semi-spaces only postpone copying objects that survive anyway: at 1 MB, the 11 real
 * hosts' `audit` and `explain` peaked 10-35 MB lower at the same or less CPU (issue 8,
 * BENCHMARKS.md "The young generation"). The size cannot be set once V8 has started
 * (`--max-semi-space-size` given to setFlagsFromString is ignored: measured), but the growth
 * factor is read at each growth, so a factor of 1 stops it.
 *
 * @module
 */
import { setFlagsFromString } from 'node:v8';

/** V8 flags that size the young generation: when the user gave one, theirs wins. */
const USER_CHOICE = /--(max|min)-semi-space-size|--semi-space-growth-factor/;

/** Whether the young generation's size is ours to pick, for this process's flags. */
export function youngGenerationIsOurs(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return !execArgv.some((a) => USER_CHOICE.test(a)) && !USER_CHOICE.test(nodeOptions ?? '');
}

if (youngGenerationIsOurs(process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString('--semi-space-growth-factor=1');

/**
 * Put the saved rules back: take the running dumps, plan (restore-plan.ts), run each step,
 * then take the dumps again and compare them with the saved ones (counters and dates aside).
 * Returns what it touched and whether the result is exact; a failing step does not stop the
 * others (the most of the way back is better than half).
 *
 * @module
 */
import { normaliseNft, normaliseSave } from './dump-text.js';
import { planRestore } from './restore-plan.js';
import { DUMP_IDS, takeDumps, type DumpId, type RulesetDumps } from './ruleset-dumps.js';
import type { RunCommand } from './run-command.js';

export interface RestoreResult {
  /** One line per table put back or removed, e.g. "nft: delete table inet portcullis". */
  touched: string[];
  /** Steps that failed, with the tool's message. */
  failures: string[];
  /** Dumps that still differ from the saved ones after the restore. */
  differences: DumpId[];
  inexact: string[];
  exact: boolean;
  /** When the last step finished: the rules were back then (the check that follows takes a while on large rulesets). */
  rulesBackAt: Date;
}

export async function restoreDumps(saved: RulesetDumps, run: RunCommand): Promise<RestoreResult> {
  const plan = planRestore(saved, await takeDumps(run));
  const touched: string[] = [];
  const failures: string[] = [];
  for (const step of plan.steps) {
    const r = await run(step.argv, step.stdin);
    if (r.ok && r.code === 0) touched.push(...step.what);
    else failures.push(`${step.argv.join(' ')} (${step.what.join('; ')}): ${r.ok ? `exit ${r.code}: ${r.stderr.trim().slice(0, 400)}` : r.message}`);
  }
  const rulesBackAt = new Date();
  const differences = differingDumps(saved, await takeDumps(run));
  return { touched, failures, differences, inexact: plan.inexact, exact: failures.length === 0 && differences.length === 0, rulesBackAt };
}

/** The dumps whose normalised text differs between `a` and `b`. */
export function differingDumps(a: RulesetDumps, b: RulesetDumps): DumpId[] {
  return DUMP_IDS.filter((id) => normalisedDump(id, a[id]) !== normalisedDump(id, b[id]));
}

export function normalisedDump(id: DumpId, text: string | null): string | null {
  if (text === null) return null;
  return id === 'nft' ? normaliseNft(text) : normaliseSave(text);
}

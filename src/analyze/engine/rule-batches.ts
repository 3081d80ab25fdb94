/**
 * Runs of rules that differ only in their source addresses and share one final verdict
 * (a blocklist: thousands of `-s X -j DROP`) act as one rule whose source is the union:
 * the first of them to match decides, and they all decide alike. Walking the run as one
 * step keeps a 60,000-entry blocklist linear instead of quadratic.
 *
 * @module
 */
import { Dim, DIM_COUNT, PacketSet } from '../../model/packet-set.js';
import * as I from '../../model/interval-set.js';
import type { Action, Chain, Rule } from '../../model/ruleset.js';

/** Runs shorter than this stay as single rules (their events name each rule). */
const MIN_RUN = 8;

/** One step of a walk: a rule, or a run of rules acting as one. */
export interface Step {
  /** The rule the step stands for (the first of a run). */
  rule: Rule;
  match: PacketSet;
  /** For a run: its rules, in order. */
  run?: Rule[];
}

const FINAL = new Set<Action['type']>(['accept', 'drop', 'reject', 'return']);

function sameAction(a: Action, b: Action): boolean {
  if (a.type !== b.type) return false;
  return a.type !== 'reject' || a.with === (b as Extract<Action, { type: 'reject' }>).with;
}

/** Can `next` join a run that `first` starts? Same final verdict, one cube each, equal but for the source. */
function joins(first: Rule, next: Rule): boolean {
  if (next.uncertain.length > 0 || next.limits || !sameAction(first.action, next.action)) return false;
  if (first.match.cubes.length !== 1 || next.match.cubes.length !== 1) return false;
  const a = first.match.cubes[0]!;
  const b = next.match.cubes[0]!;
  for (let d = 0; d < DIM_COUNT; d++) {
    if (d === Dim.Src) continue;
    if (a[d] !== b[d] && !I.setsEqual(a[d]!, b[d]!)) return false;
  }
  return true;
}

export function stepsOf(chain: Chain): Step[] {
  const steps: Step[] = [];
  const rules = chain.rules;
  let i = 0;
  while (i < rules.length) {
    const first = rules[i]!;
    let j = i + 1;
    if (first.uncertain.length === 0 && !first.limits && FINAL.has(first.action.type) && first.match.cubes.length === 1) {
      while (j < rules.length && joins(first, rules[j]!)) j++;
    }
    if (j - i >= MIN_RUN) {
      const run = rules.slice(i, j);
      const src = I.unionAll(run.map((r) => r.match.cubes[0]![Dim.Src]!));
      steps.push({ rule: first, match: PacketSet.fromCubes(first.match.family, [first.match.cubes[0]!.map((d, k) => (k === Dim.Src ? src : d))]), run });
    } else {
      for (let k = i; k < j; k++) steps.push({ rule: rules[k]!, match: rules[k]!.match });
    }
    i = j;
  }
  return steps;
}

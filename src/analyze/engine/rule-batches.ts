/**
 * Runs of rules that differ only in their source addresses and share one final verdict
 * (a blocklist: thousands of `-s X -j DROP`) act as one rule whose source is the union:
 * the first of them to match decides, and they all decide alike. Walking the run as one
 * step keeps a 60,000-entry blocklist linear instead of quadratic.
 *
 * A blocklist that logs what it drops writes each address twice, `-s X -j LOG` then `-s X -j
 * DROP`: its verdicts alternate, no run forms, and the walk cut its growing set of sources
 * rule by rule (60,000 pairs: 150 s and 2.3 GB; issue 8). Pairs whose two rules match alike,
 * the first only noting (LOG, NFLOG: a `continue`), the second deciding, act as two runs: a
 * packet of the union meets its pair's note, then its pair's verdict, and nothing else of
 * them (an earlier pair holding it too took it first, note and verdict alike).
 *
 * @module
 */
import { Dim, PacketSet, sameCube } from '../../model/packet-set.js';
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
  if (a.type === 'continue') return a.note === (b as Extract<Action, { type: 'continue' }>).note;
  return a.type !== 'reject' || a.with === (b as Extract<Action, { type: 'reject' }>).with;
}

/** A certain rule of one cube, without a limit: one that may stand in a run. */
function plain(rule: Rule): boolean {
  return rule.uncertain.length === 0 && !rule.limits && rule.match.cubes.length === 1;
}

/** Can `next` join a run that `first` starts? Same action, one cube each, equal but for the source. */
function joins(first: Rule, next: Rule): boolean {
  return plain(next) && sameAction(first.action, next.action) && first.match.cubes.length === 1 && sameCube(first.match.cubes[0]!, next.match.cubes[0]!, Dim.Src);
}

/** Whether rules i and i+1 are a note and a verdict on the same packets (see the module's comment). */
function notedPair(rules: readonly Rule[], i: number): boolean {
  const note = rules[i];
  const verdict = rules[i + 1];
  return note !== undefined && verdict !== undefined && note.action.type === 'continue' && plain(note) && FINAL.has(verdict.action.type) && plain(verdict) && sameCube(note.match.cubes[0]!, verdict.match.cubes[0]!);
}

/** One run as one step: the first rule stands for it, its source is the union of theirs (or `src`, when known). */
function runStep(run: Rule[], src = I.unionAll(run.map((r) => r.match.cubes[0]![Dim.Src]!))): Step {
  const first = run[0]!;
  return { rule: first, match: PacketSet.fromCubes(first.match.family, [first.match.cubes[0]!.map((d, k) => (k === Dim.Src ? src : d))]), run };
}

export function stepsOf(chain: Chain): Step[] {
  const steps: Step[] = [];
  const rules = chain.rules;
  let i = 0;
  while (i < rules.length) {
    const first = rules[i]!;
    if (notedPair(rules, i)) {
      let j = i + 2;
      while (notedPair(rules, j) && joins(first, rules[j]!) && joins(rules[i + 1]!, rules[j + 1]!)) j += 2;
      if ((j - i) / 2 >= MIN_RUN) {
        const notes: Rule[] = [];
        const verdicts: Rule[] = [];
        for (let k = i; k < j; k += 2) {
          notes.push(rules[k]!);
          verdicts.push(rules[k + 1]!);
        }
        // Each note matches as its verdict does: one union serves both (the same object, so the
        // walk's two events hold the same sources, and dropsLogged sees it without a subtraction).
        const drops = runStep(verdicts);
        steps.push(runStep(notes, drops.match.cubes[0]![Dim.Src]!), drops);
        i = j;
        continue;
      }
    }
    let j = i + 1;
    if (plain(first) && FINAL.has(first.action.type)) {
      while (j < rules.length && joins(first, rules[j]!)) j++;
    }
    if (j - i >= MIN_RUN) {
      steps.push(runStep(rules.slice(i, j)));
    } else {
      for (let k = i; k < j; k++) steps.push({ rule: rules[k]!, match: rules[k]!.match });
    }
    i = j;
  }
  return steps;
}

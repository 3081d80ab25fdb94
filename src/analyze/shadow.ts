/**
 * Rules no packet can reach, as Batfish's filterLineReachability finds them: within a
 * chain, a rule is shadowed when the earlier rules that certainly end the chain's walk
 * (accept, drop, reject, return, goto, NAT) already match everything it matches. A rule
 * with an uncertain construct never shadows another (it may not match), and jumps never do
 * (the packet may come back).
 *
 * Each chain is judged on its own, over the whole packet space; a rule can also be dead
 * because no caller ever sends it the packets it matches, which this does not claim.
 *
 * @module
 */
import * as I from '../model/interval-set.js';
import { DIM_COUNT, Dim, type PacketSet } from '../model/packet-set.js';
import type { Chain, FirewallModel } from '../model/ruleset.js';
import { ruleRef } from './engine/refs.js';
import { CoverIndex, coarseKey } from './shadow-cover-index.js';
import { CoverAxes } from './shadow-cover-axes.js';
import type { ShadowedRule } from './types.js';

const ENDS_WALK = new Set(['accept', 'drop', 'reject', 'return', 'goto', 'dnat', 'snat', 'queue']);

/**
 * How much comparing the analysis may do (earlier covers met by later rules, summed over
 * chains) before it stops: a deterministic bound, so that a pathological ruleset gets an
 * honest "not analysed" instead of a hang, and the same input always gets the same report.
 */
export class ShadowBudget {
  private used = 0;
  /** Chains (by id) whose rules from `from` on were not analysed, with how many rules that is. */
  readonly skipped: { chain: string; from: number; rules: number }[] = [];
  constructor(readonly limit = DEFAULT_WORK_LIMIT) {}

  /** Charge `work`; false once the limit is passed. */
  spend(work: number): boolean {
    this.used += work;
    return this.used <= this.limit;
  }

  exhausted(): boolean {
    return this.used > this.limit;
  }
}

/** Comparisons allowed per family: a bound for pathological rulesets (every rule meeting thousands of earlier covers), seconds of work. */
const DEFAULT_WORK_LIMIT = 50_000_000;

export function findShadowedRules(model: FirewallModel, budget = new ShadowBudget()): ShadowedRule[] {
  const out: ShadowedRule[] = [];
  const reachable = reachableChains(model);
  for (const chain of model.chains.values()) {
    if (!reachable.has(chain.id)) {
      // A user chain no base chain ever jumps to: none of its rules sees a packet.
      for (const rule of chain.rules) out.push({ rule: ruleRef(chain, rule), kind: 'unreachable', coveredBy: [] });
      continue;
    }
    shadowedIn(chain, budget, out);
  }
  return out;
}

/**
 * A necessary condition, cheap to test: on every dimension, the covers' values must include
 * the rule's. Most rules fail it at once, sparing the exact (and costly) set difference.
 */
function coveredOnEveryAxis(match: PacketSet, covers: readonly PacketSet[]): boolean {
  for (let d = 0; d < DIM_COUNT; d++) {
    const own = match.project(d as Dim);
    // Covers matching everything on this axis (the common case off the source axis) settle it at once.
    if (covers.some((c) => I.isSubset(own, c.project(d as Dim)))) continue;
    if (!enoughToCover(own, covers, d as Dim)) return false;
    if (!I.isSubset(own, I.unionAll(covers.map((c) => c.project(d as Dim))))) return false;
  }
  return true;
}

/**
 * Whether the covers' values on axis `d`, counted within the rule's bounds, add up to at least
 * the rule's own count: necessary for their union to hold the rule's, and a sum needs no
 * sort. The catch-all RETURN after a 100,000-address blocklist fails it at once instead of
 * sorting 100,000 ranges. Number axes only (IPv6 addresses and interface names say yes).
 */
function enoughToCover(own: I.IntervalSet<I.Ordinal>, covers: readonly PacketSet[], d: Dim): boolean {
  if (typeof own[0] !== 'number') return true;
  const lo = own[0];
  const hi = own[own.length - 1] as number;
  const need = I.valueCount(own as I.IntervalSet<number>);
  let have = 0;
  for (const c of covers) {
    const set = c.project(d) as I.IntervalSet<number>;
    if (set.length === 0) continue;
    if (set.length > BIG_SET && lo <= set[0]! && set[set.length - 1]! <= hi) have += countOf(set);
    else {
      for (let k = 0; k < set.length; k += 2) {
        const from = Math.max(set[k]!, lo);
        const to = Math.min(set[k + 1]!, hi);
        if (to > from) have += to - from;
      }
    }
    if (have >= need) return true;
  }
  return false;
}

/** Sets with more boundaries than this have their value count remembered. */
const BIG_SET = 64;
/** Value counts of big sets, by identity (sets are immutable). */
const COUNTS = new WeakMap<I.IntervalSet<number>, number>();

/**
 * How many values a set holds, counted once per set: the rules after a 1,000,000-address
 * ipset match each asked, and each count walked its million ranges again (issue 8).
 */
function countOf(set: I.IntervalSet<number>): number {
  let n = COUNTS.get(set);
  if (n === undefined) COUNTS.set(set, (n = I.valueCount(set)));
  return n;
}

/** Chains a packet can enter: base chains and everything they jump or go to. */
function reachableChains(model: FirewallModel): Set<string> {
  const seen = new Set<string>();
  const stack = model.baseChains.map((b) => b.chain);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const rule of model.chains.get(id)?.rules ?? []) {
      if ((rule.action.type === 'jump' || rule.action.type === 'goto') && !rule.match.isEmpty() && !seen.has(rule.action.chain)) stack.push(rule.action.chain);
    }
  }
  return seen;
}

/** Past this many cubes the exact difference is abandoned: the rule is not claimed dead. */
const MAX_CUBES = 256;

/** Appends the chain's shadowed rules to `out`: most of kube-proxy's 20,000 chains have none, and a list and a spread each cost more than their rules' tests (issue 8). */
function shadowedIn(chain: Chain, budget: ShadowBudget, out: ShadowedRule[]): void {
  const { rules } = chain;
  // Made on the first cover: most of kube-proxy's 20,000 chains have none.
  let covers: CoverIndex | null = null;
  let axes: CoverAxes | null = null;
  for (let order = 0; order < rules.length; order++) {
    const rule = rules[order]!;
    if (rule.match.isEmpty()) continue;
    // A limited rule decides only some connections: it covers nothing.
    const isCover = rule.uncertain.length === 0 && !rule.limits && ENDS_WALK.has(rule.action.type);
    // Before the first cover nothing can be shadowed, and a rule that covers nothing adds nothing:
    // kube-proxy's thousands of jump-only chains cost one test per rule.
    if (covers === null && !isCover) continue;
    if (covers === null && order === rules.length - 1) {
      // The chain's only cover is its last rule (kube-proxy's 5,000 KUBE-SEP chains end in
      // their DNAT): nothing before it can shadow it, nothing after it is left to shadow.
      // Charged as the empty index's lookup would be, so the budget runs out where it did.
      if (budget.exhausted() || !budget.spend(1)) budget.skipped.push({ chain: chain.id, from: order, rules: rules.length - order });
      break;
    }
    covers ??= new CoverIndex(rules);
    axes ??= new CoverAxes(rules.length);
    const protos = rule.match.project(Dim.Proto) as I.IntervalSet<number>;
    const ports = rule.match.project(Dim.Dport) as I.IntervalSet<number>;
    const key = coarseKey(rule.match);
    const candidates = covers.candidates(key);
    if (budget.exhausted() || !budget.spend(candidates.length + 1)) {
      budget.skipped.push({ chain: chain.id, from: order, rules: rules.length - order });
      break;
    }
    // Cheap tests first: most earlier rules are about other protocols or ports.
    const touching = candidates.filter((c) => axes!.meets(c, protos, ports) && rules[c]!.match.intersects(rule.match));
    let remaining = touching.length > 0 && coveredOnEveryAxis(rule.match, touching.map((c) => rules[c]!.match)) ? rule.match : null;
    const by: number[] = [];
    for (const c of remaining ? touching : []) {
      const match = rules[c]!.match;
      if (!match.intersects(remaining!)) continue;
      remaining = remaining!.difference(match, { merge: false });
      by.push(c);
      if (remaining.isEmpty() || remaining.cubes.length > MAX_CUBES) break;
    }
    if (remaining?.isEmpty()) {
      out.push({ rule: ruleRef(chain, rule), kind: 'shadowed', coveredBy: by.slice(0, 3).map((c) => ruleRef(chain, rules[c]!)) });
    }
    if (isCover) {
      covers.add(order, key);
      axes.add(order, protos, ports);
    }
  }
}

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
import { Dim, type PacketSet } from '../model/packet-set.js';
import type { Chain, FirewallModel, Rule } from '../model/ruleset.js';
import { ruleRef } from './engine/refs.js';
import type { ShadowedRule } from './types.js';

const ENDS_WALK = new Set(['accept', 'drop', 'reject', 'return', 'goto', 'dnat', 'snat', 'queue']);

interface Cover {
  rule: Rule;
  match: PacketSet;
  protos: I.IntervalSet<number>;
  ports: I.IntervalSet<number>;
}

export function findShadowedRules(model: FirewallModel): ShadowedRule[] {
  const out: ShadowedRule[] = [];
  const reachable = reachableChains(model);
  for (const chain of model.chains.values()) {
    if (!reachable.has(chain.id)) {
      // A user chain no base chain ever jumps to: none of its rules sees a packet.
      for (const rule of chain.rules) out.push({ rule: ruleRef(chain, rule), kind: 'unreachable', coveredBy: [] });
      continue;
    }
    out.push(...shadowedIn(chain));
  }
  return out;
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
      if ((rule.action.type === 'jump' || rule.action.type === 'goto') && !rule.match.isEmpty()) stack.push(rule.action.chain);
    }
  }
  return seen;
}

function shadowedIn(chain: Chain): ShadowedRule[] {
  const out: ShadowedRule[] = [];
  const covers: Cover[] = [];
  for (const rule of chain.rules) {
    if (rule.match.isEmpty()) continue;
    const protos = rule.match.project(Dim.Proto) as I.IntervalSet<number>;
    const ports = rule.match.project(Dim.Dport) as I.IntervalSet<number>;
    let remaining = rule.match;
    const by: Cover[] = [];
    for (const c of covers) {
      // Cheap projections first: most earlier rules are about other protocols or ports.
      if (!I.intersects(c.protos, protos) || !I.intersects(c.ports, ports)) continue;
      if (!c.match.intersects(remaining)) continue;
      remaining = remaining.difference(c.match);
      by.push(c);
      if (remaining.isEmpty()) break;
    }
    if (remaining.isEmpty()) {
      out.push({ rule: ruleRef(chain, rule), kind: 'shadowed', coveredBy: by.slice(0, 3).map((c) => ruleRef(chain, c.rule)) });
    }
    if (rule.uncertain.length === 0 && ENDS_WALK.has(rule.action.type)) covers.push({ rule, match: rule.match, protos, ports });
  }
  return out;
}

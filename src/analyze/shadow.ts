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
import type { Chain, FirewallModel, Rule } from '../model/ruleset.js';
import { ruleRef } from './engine/refs.js';
import type { ShadowedRule } from './types.js';

const ENDS_WALK = new Set(['accept', 'drop', 'reject', 'return', 'goto', 'dnat', 'snat', 'queue']);

interface Cover {
  order: number;
  rule: Rule;
  match: PacketSet;
  protos: I.IntervalSet<number>;
  ports: I.IntervalSet<number>;
  key: CoarseKey;
}

/** Coarse position of a match: one protocol, one port, one source block, or "*" where wider. */
type CoarseKey = [string, string, string];

function coarseKey(match: PacketSet, protos: I.IntervalSet<number>, ports: I.IntervalSet<number>): CoarseKey {
  const single = (set: I.IntervalSet<number>) => (set.length === 2 && set[1]! - set[0]! === 1 ? String(set[0]) : '*');
  const src = match.project(Dim.Src);
  let block = '*';
  if (src.length > 0) {
    // The /16 (IPv4) or /32 (IPv6) block holding every source, if there is one.
    const shift = match.family === 'ipv4' ? 16 : 96;
    const lo = BigInt(src[0]!) >> BigInt(shift);
    const hi = (BigInt(src[src.length - 1]!) - 1n) >> BigInt(shift);
    if (lo === hi) block = lo.toString();
  }
  return [single(protos), single(ports), block];
}

/**
 * Earlier covers that can overlap a rule: looked up by coarse key when the rule is narrow on
 * every axis (a blocklist entry, a per-port allowlist line), scanned otherwise.
 */
class CoverIndex {
  private readonly all: Cover[] = [];
  /** By source block; "*" holds covers wider than one block. */
  private readonly byBlock = new Map<string, Cover[]>();
  /** By "proto|port" (either may be "*"), whatever the source. */
  private readonly byPortKey = new Map<string, Cover[]>();

  add(c: Cover): void {
    this.all.push(c);
    push(this.byBlock, c.key[2], c);
    push(this.byPortKey, `${c.key[0]}|${c.key[1]}`, c);
  }

  candidates(key: CoarseKey): readonly Cover[] {
    const [p, q, block] = key;
    let lists: (Cover[] | undefined)[];
    if (block !== '*') lists = [this.byBlock.get(block), this.byBlock.get('*')];
    else if (p !== '*' && q !== '*') lists = [this.byPortKey.get(`${p}|${q}`), this.byPortKey.get(`${p}|*`), this.byPortKey.get(`*|${q}`), this.byPortKey.get('*|*')];
    else return this.all;
    const out: Cover[] = [];
    for (const l of lists) if (l) out.push(...l);
    return out.sort((a, b) => a.order - b.order);
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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

/**
 * A necessary condition, cheap to test: on every dimension, the covers' values must include
 * the rule's. Most rules fail it at once, sparing the exact (and costly) set difference.
 */
function coveredOnEveryAxis(match: PacketSet, covers: readonly Cover[]): boolean {
  for (let d = 0; d < DIM_COUNT; d++) {
    let union: I.IntervalSet<I.Ordinal> = [];
    for (const c of covers) union = I.union(union, c.match.project(d as Dim));
    if (!I.isSubset(match.project(d as Dim), union)) return false;
  }
  return true;
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

/** Past this many cubes the exact difference is abandoned: the rule is not claimed dead. */
const MAX_CUBES = 256;

function shadowedIn(chain: Chain): ShadowedRule[] {
  const out: ShadowedRule[] = [];
  const covers = new CoverIndex();
  chain.rules.forEach((rule, order) => {
    if (rule.match.isEmpty()) return;
    const protos = rule.match.project(Dim.Proto) as I.IntervalSet<number>;
    const ports = rule.match.project(Dim.Dport) as I.IntervalSet<number>;
    const key = coarseKey(rule.match, protos, ports);
    // Cheap projections first: most earlier rules are about other protocols or ports.
    const touching = covers.candidates(key).filter((c) => I.intersects(c.protos, protos) && I.intersects(c.ports, ports) && c.match.intersects(rule.match));
    let remaining = touching.length > 0 && coveredOnEveryAxis(rule.match, touching) ? rule.match : null;
    const by: Cover[] = [];
    for (const c of remaining ? touching : []) {
      if (!c.match.intersects(remaining!)) continue;
      remaining = remaining!.difference(c.match);
      by.push(c);
      if (remaining.isEmpty() || remaining.cubes.length > MAX_CUBES) break;
    }
    if (remaining?.isEmpty()) {
      out.push({ rule: ruleRef(chain, rule), kind: 'shadowed', coveredBy: by.slice(0, 3).map((c) => ruleRef(chain, c.rule)) });
    }
    if (rule.uncertain.length === 0 && ENDS_WALK.has(rule.action.type)) covers.add({ order, rule, match: rule.match, protos, ports, key });
  });
  return out;
}

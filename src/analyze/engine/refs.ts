/**
 * Turn the engine's internal events into the report's plain data: rule references,
 * decisions with their sources, uncertain constructs.
 *
 * @module
 */
import { laterConnectionsNote } from '../../model/limiters.js';
import { toCidrsLimited } from '../../model/addr.js';
import { Dim, type PacketSet } from '../../model/packet-set.js';
import type { Chain, Rule } from '../../model/ruleset.js';
import type { Decision, RuleRef, SourceLists, UncertainRule, Verdict } from '../types.js';
import type { WalkEvent } from './evaluate-chain.js';

export function ruleRef(chain: Chain, rule: Rule | null, policy?: string): RuleRef {
  return {
    backend: chain.backend,
    family: chain.family,
    table: chain.table,
    chain: chain.name,
    position: rule ? rule.position : null,
    text: rule ? rule.text : `policy ${policy ?? ''}`.trim(),
    ...(rule ? { origin: rule.origin } : { origin: chain.origin }),
  };
}

export function eventRef(e: WalkEvent): RuleRef {
  const ref = ruleRef(e.chain, e.rule, e.verdict === 'policy-accept' ? 'ACCEPT' : e.verdict === 'policy-drop' ? 'DROP' : undefined);
  if (e.summary) ref.text = `${e.summary.count} rules (#${ref.position}–#${e.summary.lastPosition}) of chain ${e.chain.name}, the first: ${ref.text}`;
  return ref;
}


/** The verdict an event decides, or null for steps that only pass packets along. */
export function decidingVerdict(e: WalkEvent): Verdict | null {
  switch (e.verdict) {
    case 'accept':
    case 'policy-accept':
      // Accepting in a NAT or routing chain only lets the packet reach the filter chains.
      return e.kind === 'filter' ? 'accept' : null;
    case 'drop':
    case 'policy-drop':
      return 'drop';
    case 'reject':
      return 'reject';
    default:
      return null;
  }
}

/** Evidence lists name at most this many prefixes per family (a blocklist's complement runs to thousands). */
const EVIDENCE_PREFIXES = 32;

/**
 * The first prefixes of one cube's sources, by the identity of its sources array: the
 * same blocklist complement is the evidence of the same rule for every listener's slice,
 * and formatting its prefixes again was a tenth of computeServices on a 10,000-rule
 * host (issue 8). Arrays are never edited once built, so identity means equal content.
 */
const prefixesBySources = new WeakMap<object, Record<string, { cidrs: string[]; omittedRanges: number }>>();

function evidencePrefixes(part: PacketSet): { cidrs: string[]; omittedRanges: number } {
  const { head, rangeCount } = part.projectHead(Dim.Src, EVIDENCE_PREFIXES);
  if (part.cubes.length !== 1) return toCidrsLimited(head as never, part.family, EVIDENCE_PREFIXES, rangeCount);
  let byFamily = prefixesBySources.get(head);
  if (!byFamily) prefixesBySources.set(head, (byFamily = {}));
  return (byFamily[part.family] ??= toCidrsLimited(head as never, part.family, EVIDENCE_PREFIXES, rangeCount));
}

/** Decisions of the events whose packets meet `region`, with the sources for which they decided. */
export function decisionsFor(events: readonly WalkEvent[], region: PacketSet): Decision[] {
  const out: Decision[] = [];
  for (const e of events) {
    const verdict = decidingVerdict(e);
    if (!verdict) continue;
    const part = e.set.intersect(region);
    if (part.isEmpty()) continue;
    // Only the head of the sources is printed: the full union would copy a blocklist's complement per decision.
    const { cidrs, omittedRanges: omitted } = evidencePrefixes(part);
    const sources: SourceLists = { ipv4: [], ipv6: [] };
    sources[part.family] = cidrs.slice();
    const decision: Decision = { verdict, rule: eventRef(e), hook: e.hook, sources, uncertain: e.uncertain };
    if (omitted > 0) decision.omitted = { ipv4: 0, ipv6: 0, [part.family]: omitted } as { ipv4: number; ipv6: number };
    out.push(decision);
  }
  return out;
}

/**
 * Header properties the sender chooses (a routing header, a TTL, a length, a MAC on the
 * LAN…). A DROP that only may match on them cannot stop a client that does not set them,
 * so it changes nobody's reachability and is not worth a caveat.
 */
const SENDER_CHOSEN = /^(-m (rt|frag|hbh|dst|ipv6header|mh|length|ttl|hl|tos|dscp|ecn|string|u32|mac)\b|--tcp-option|(ip6? )?(hoplimit|ttl|length|nexthdr)\b|exthdr|ip6 hoplimit)/;

export function irrelevantDropCondition(e: WalkEvent): boolean {
  if (!e.rule || (e.rule.action.type !== 'drop' && e.rule.action.type !== 'reject')) return false;
  return e.rule.uncertain.every((u) => u.kind === 'unmodelled' && SENDER_CHOSEN.test(u.construct));
}

/** Uncertain constructs on rules whose packets meet `region` (one entry per rule and construct). */
export function uncertaintiesFor(events: readonly WalkEvent[], region: PacketSet): UncertainRule[] {
  const out: UncertainRule[] = [];
  // Chain id → position → constructs seen: no key string joined per event (a kube-proxy
  // node's 568 slices each meet thousands of may-match `statistic` and mark rules; issue 8).
  const seen = new Map<string, Map<number, Set<string>>>();
  for (const e of events) {
    if (!e.rule || e.rule.uncertain.length === 0) continue;
    // A LOG or counter that may not match changes no verdict.
    if (e.rule.action.type === 'continue' || irrelevantDropCondition(e)) continue;
    if (!e.set.intersects(region)) continue;
    let inChain = seen.get(e.chain.id);
    if (!inChain) seen.set(e.chain.id, (inChain = new Map()));
    let constructs = inChain.get(e.rule.position);
    if (!constructs) inChain.set(e.rule.position, (constructs = new Set()));
    for (const u of e.rule.uncertain) {
      if (constructs.has(u.construct)) continue;
      constructs.add(u.construct);
      out.push({ ...u, rule: eventRef(e) });
    }
  }
  return out;
}

/**
 * What later connections meet: one sentence per limited rule whose other conditions hold for
 * packets of `region` ("later connections, more than 10 concurrent connections from one
 * address: reject (-m connlimit --connlimit-above 10)").
 */
export function limitNotesFor(events: readonly WalkEvent[], region: PacketSet): string[] {
  const out: string[] = [];
  for (const e of events) {
    // A limited LOG or counter only limits the logging.
    if (!e.rule?.limits || e.rule.action.type === 'continue' || !e.set.intersects(region)) continue;
    const where = `${e.chain.name} rule ${e.rule.position}`;
    for (const l of e.rule.limits) {
      const note = `${laterConnectionsNote(l, e.rule.action)}, ${where}`;
      if (!out.includes(note)) out.push(note);
    }
  }
  return out;
}

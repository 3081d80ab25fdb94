/**
 * One finding per id: checks report per socket, and a port often has two (IPv4 and IPv6).
 *
 * @module
 */
import type { SourceLists } from '../types.js';
import { type Finding, SEVERITIES } from './types.js';

/**
 * Two sockets of one port (IPv4 and IPv6) give one finding: keep the worst severity and
 * join the evidence.
 */
export function mergeById(findings: Finding[]): Finding[] {
  const byId = new Map<string, Finding>();
  for (const f of findings) {
    const seen = byId.get(f.id);
    if (!seen) {
      byId.set(f.id, f);
      continue;
    }
    const [keep, other] = SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(seen.severity) ? [f, seen] : [seen, f];
    keep.evidence = {
      ...keep.evidence,
      facts: [...new Set([...keep.evidence.facts, ...other.evidence.facts])],
    };
    if (keep.evidence.sources && other.evidence.sources) keep.evidence.sources = joinSources(keep.evidence.sources, other.evidence.sources);
    const omitted = joinOmitted(keep.evidence.sourcesOmitted, other.evidence.sourcesOmitted);
    if (omitted) keep.evidence.sourcesOmitted = omitted;
    if (other.evidence.decisions) keep.evidence.decisions = [...(keep.evidence.decisions ?? []), ...other.evidence.decisions];
    byId.set(f.id, keep);
  }
  return [...byId.values()];
}

function joinSources(a: SourceLists, b: SourceLists): SourceLists {
  return { ipv4: joinList(a.ipv4, b.ipv4), ipv6: joinList(a.ipv6, b.ipv6) };
}

/**
 * a's prefixes, then b's that a lacks. The engine's lists hold no repeats and are never changed
 * once made, so an empty or identical side leaves the other as the answer: the IPv4 and IPv6
 * sockets of a port list different families, and copying 10,000 prefixes through a Set per
 * family and port was a second of a 1,000-service report (issue 8).
 */
function joinList(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0 || a === b) return a as string[];
  if (a.length === 0) return b as string[];
  const seen = new Set(a);
  return [...a, ...b.filter((prefix) => !seen.has(prefix))];
}


type Omitted = Finding['evidence']['sourcesOmitted'];

/**
 * The prefixes two sockets' lists leave out, per family: the larger count. The IPv4 and the
 * IPv6 socket of a port list different families (one of the two counts is 0); two sockets of
 * one family (two addresses) mostly share one ruleset's list, so their sum would count the
 * same ranges twice (issue 8).
 */
function joinOmitted(a: Omitted, b: Omitted): Omitted {
  if (!a || !b) return a ?? b;
  return { ipv4: Math.max(a.ipv4, b.ipv4), ipv6: Math.max(a.ipv6, b.ipv6) };
}

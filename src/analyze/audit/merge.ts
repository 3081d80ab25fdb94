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
    if (other.evidence.decisions) keep.evidence.decisions = [...(keep.evidence.decisions ?? []), ...other.evidence.decisions];
    byId.set(f.id, keep);
  }
  return [...byId.values()];
}

function joinSources(a: SourceLists, b: SourceLists): SourceLists {
  return { ipv4: [...new Set([...a.ipv4, ...b.ipv4])], ipv6: [...new Set([...a.ipv6, ...b.ipv6])] };
}


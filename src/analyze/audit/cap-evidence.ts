/**
 * A finding's evidence lists only the first source prefixes of its service; the complete
 * lists stay in the host's `services` entries of that port and protocol. On the
 * 1,000-listener host with 10,000 rules, 45 of the report's 133 MB were findings repeating
 * their service's lists of up to 10,000 prefixes per family (issue 8).
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import type { SourceLists } from '../types.js';
import type { Finding } from './types.js';

/** Per family, a finding's evidence lists at most this many source prefixes; the rest are counted. */
export const MAX_EVIDENCE_PREFIXES = 100;

const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

/**
 * Cut each finding's `evidence.sources` to `max` prefixes per family (the first ones, in
 * the service's order) and add what was cut to `evidence.sourcesOmitted`, which already
 * holds what the service itself left out: it is always the number of prefixes the engine
 * found and the list does not show. A new lists object: the service's own stays whole.
 */
export function capEvidenceSources(findings: readonly Finding[], max = MAX_EVIDENCE_PREFIXES): void {
  for (const f of findings) {
    const sources = f.evidence.sources;
    if (!sources || (sources.ipv4.length <= max && sources.ipv6.length <= max)) continue;
    const omitted: Record<Family, number> = { ipv4: 0, ipv6: 0, ...f.evidence.sourcesOmitted };
    const shown = {} as SourceLists;
    for (const family of FAMILIES) {
      const list = sources[family];
      shown[family] = list.length > max ? list.slice(0, max) : list;
      omitted[family] += list.length - shown[family].length;
    }
    f.evidence.sources = shown;
    f.evidence.sourcesOmitted = omitted;
  }
}

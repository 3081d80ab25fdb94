/**
 * Source lists in a few words: "0.0.0.0/0", "3 prefixes (198.51.100.0/24, …)", "local only".
 *
 * @module
 */
import type { AuditedService, Exposure } from '../../analyze/audit/types.js';
import type { SourceLists } from '../../analyze/types.js';
import { withThousands } from './thousands.js';

/**
 * Summarise a CIDR list to fit `max` characters: one prefix as is, several as a count with
 * as many of them as fit.
 */
export function summarizeCidrs(cidrs: readonly string[], max = 40): string {
  if (cidrs.length === 0) return 'none';
  if (cidrs.length === 1) return cidrs[0]!;
  const all = cidrs.join(', ');
  if (cidrs.length === 2 && all.length <= max) return all;
  const head = `${cidrs.length} prefixes (`;
  if (head.length + all.length + 1 <= max) return `${head}${all})`;
  const shown: string[] = [];
  for (const c of cidrs) {
    const next = [...shown, c].join(', ');
    // Keep room for ", …)".
    if (head.length + next.length + 4 > max && shown.length > 0) break;
    shown.push(c);
  }
  return shown.length === cidrs.length ? `${head}${shown.join(', ')})` : `${head}${shown.join(', ')}, …)`;
}

/** Summarise both families: the lists joined, or per family when only one has sources. */
export function summarizeSources(sources: SourceLists, max = 40): string {
  const all = [...sources.ipv4, ...sources.ipv6];
  if (all.length === 0) return 'none';
  return summarizeCidrs(all, max);
}

/** What to say for a service with no remote sources, by exposure. */
function noRemote(exposure: Exposure): string | null {
  if (exposure === 'local') return 'local only';
  if (exposure === 'closed') return 'nobody';
  return null;
}

/**
 * The sources column for a service: "local only" / "nobody" without remote sources; per family
 * ("v4 10.0.0.0/8 · v6 ::/0") when the families are exposed differently; else the joined list.
 */
export function serviceSources(s: AuditedService, max = 40): string {
  const text = listedSources(s, max);
  const more = s.sourcesOmitted ? s.sourcesOmitted.ipv4 + s.sourcesOmitted.ipv6 : 0;
  // A list cut short says so: a blocklist's holes can run to a million prefixes.
  return more > 0 ? `${text} +${withThousands(more)} more ranges` : text;
}

function listedSources(s: AuditedService, max: number): string {
  const { ipv4, ipv6 } = s.sources;
  if (ipv4.length === 0 && ipv6.length === 0) return noRemote(s.exposure) ?? 'none';
  if (ipv4.length > 0 && ipv6.length > 0 && s.exposureByFamily.ipv4 !== s.exposureByFamily.ipv6) {
    const half = Math.max(12, Math.floor((max - 3) / 2) - 3);
    return `v4 ${summarizeCidrs(ipv4, half)} · v6 ${summarizeCidrs(ipv6, half)}`;
  }
  return summarizeSources(s.sources, max);
}

/**
 * The input interfaces that admit a service, each with its sources in a few words:
 * "eth1 (10.20.0.0/16); wg0 (fd00::/8)"; null when the arrival interfaces are not known.
 */
export function interfaceSources(s: Pick<AuditedService, 'interfaces'>, maxEach = 32): string | null {
  if (s.interfaces === undefined) return null;
  if (s.interfaces.length === 0) return 'no interface';
  return s.interfaces.map((i) => `${i.name === '*' ? 'any interface' : i.name} (${summarizeSources(i.sources, maxEach)})`).join('; ');
}

/**
 * Source lists in a few words: "0.0.0.0/0", "3 prefixes (198.51.100.0/24, …)", "local only".
 *
 * @module
 */
import type { AuditedService, Exposure } from '../../analyze/audit/types.js';
import type { SourceLists } from '../../analyze/types.js';
import { withThousands } from './thousands.js';

/** Whether `cidrs.join(', ')` is at most `limit` characters, measured only as far as needed. */
function joinedFits(cidrs: readonly string[], limit: number): boolean {
  let length = -2;
  for (const c of cidrs) {
    length += c.length + 2;
    if (length > limit) return false;
  }
  return true;
}

/**
 * Summarise a CIDR list to fit `max` characters: one prefix as is, several as a count with
 * as many of them as fit. Only the prefixes that can be shown are read: a service's list can
 * hold thousands, and joining them all for every table cell and evidence line cost the HTML
 * report of the 1,000-listener host seconds (issue 8).
 */
export function summarizeCidrs(cidrs: readonly string[], max = 40): string {
  return summarizeFirst(cidrs, cidrs.length, max);
}

/**
 * Most prefixes a summary within `max` characters can read: past this many, even empty ones
 * joined by ", " overflow it. The prefixes after them only count.
 */
const readable = (max: number): number => Math.max(0, Math.floor(max / 2)) + 2;

/** summarizeCidrs of a list of `count` prefixes, given its first ones (at least readable(max) of them, or all). */
function summarizeFirst(cidrs: readonly string[], count: number, max: number): string {
  if (count === 0) return 'none';
  if (count === 1) return cidrs[0]!;
  if (count === 2 && joinedFits(cidrs, max)) return cidrs.join(', ');
  const head = `${count} prefixes (`;
  if (joinedFits(cidrs, max - head.length - 1)) return `${head}${cidrs.join(', ')})`;
  const shown: string[] = [];
  let shownLength = 0; // of shown.join(', ')
  for (const c of cidrs) {
    const next = shown.length === 0 ? c.length : shownLength + 2 + c.length;
    // Keep room for ", …)".
    if (head.length + next + 4 > max && shown.length > 0) break;
    shown.push(c);
    shownLength = next;
  }
  return shown.length === count ? `${head}${shown.join(', ')})` : `${head}${shown.join(', ')}, …)`;
}

/** Summarise both families: the lists joined, or per family when only one has sources. */
export function summarizeSources(sources: SourceLists, max = 40): string {
  const { ipv4, ipv6 } = sources;
  if (ipv6.length === 0) return summarizeCidrs(ipv4, max);
  if (ipv4.length === 0) return summarizeCidrs(ipv6, max);
  // Both families: join only the prefixes the summary can read, not two long lists.
  const n = readable(max);
  const first = ipv4.length >= n ? ipv4.slice(0, n) : [...ipv4, ...ipv6.slice(0, n - ipv4.length)];
  return summarizeFirst(first, ipv4.length + ipv6.length, max);
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
  return listedSources(s, max) + omittedNote(s.sourcesOmitted);
}

/**
 * What follows the summary of a list cut short: " +59,248 more ranges", or nothing. A
 * blocklist's holes can run to a million prefixes, and a finding's evidence lists only its
 * first 100 (issue 8).
 */
export function omittedNote(omitted: { ipv4: number; ipv6: number } | undefined): string {
  const more = omitted ? omitted.ipv4 + omitted.ipv6 : 0;
  return more > 0 ? ` +${withThousands(more)} more ranges` : '';
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

/**
 * The policy as the checks ask it: is this port public on this host, which trusted lists
 * hold these sources, which exceptions apply today. Defaults stand in when there is no policy.
 *
 * @module
 */
import { type AddrSet, type Family, FAMILIES } from '../../model/addr.js';
import type { Policy, PolicyException, PortRange } from '../../model/policy.js';
import { intersects, union, type IntervalSet } from '../../model/interval-set.js';
import type { SourceLists } from '../types.js';
import { sourceSet, within } from './exposure.js';
import type { Finding, Severity } from './types.js';

/** Public when no policy says otherwise. */
export const DEFAULT_PUBLIC_PORTS: readonly PortRange[] = [
  { proto: 'tcp', from: 80, to: 80 },
  { proto: 'tcp', from: 443, to: 443 },
];

/** AWS Config `restricted-common-ports` defaults (blockedPort1..5). */
export const DEFAULT_RESTRICTED_PORTS: readonly PortRange[] = [20, 21, 3389, 3306, 4333].map((p) => ({ proto: 'tcp' as const, from: p, to: p }));

/** Hostname glob: `*` any run, `?` one character; case-insensitive as DNS names are. */
export function globMatches(glob: string, name: string): boolean {
  const re = '^' + glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$';
  return new RegExp(re, 'i').test(name);
}

export function portInRanges(ranges: readonly PortRange[], proto: 'tcp' | 'udp', port: number): boolean {
  return ranges.some((r) => r.proto === proto && port >= r.from && port <= r.to);
}

export function formatPortRange(r: PortRange): string {
  return r.from === r.to ? `${r.from}/${r.proto}` : `${r.from}-${r.to}/${r.proto}`;
}

/** Last moment an exception applies: the end of its expiry day, UTC. */
function expiryEnd(expires: string): number {
  return Date.parse(`${expires}T23:59:59.999Z`);
}

export function isExpired(exception: PolicyException, now: Date): boolean {
  const end = expiryEnd(exception.expires);
  return Number.isNaN(end) || now.getTime() > end;
}

export class PolicyView {
  private readonly trustedSets: { name: string; sets: Record<Family, AddrSet> }[];

  constructor(
    readonly policy: Policy | null,
    readonly now: Date,
  ) {
    this.trustedSets = (policy?.trusted ?? []).map((t) => ({
      name: t.name,
      sets: { ipv4: sourceSet({ ipv4: t.ipv4, ipv6: [] }, 'ipv4'), ipv6: sourceSet({ ipv4: [], ipv6: t.ipv6 }, 'ipv6') },
    }));
  }

  /** Ports public on this host: the union of the policy entries whose globs match, else the defaults. */
  publicPorts(host: string): readonly PortRange[] {
    const matching = (this.policy?.publicPorts ?? []).filter((p) => p.hosts.some((g) => globMatches(g, host)));
    return matching.length === 0 ? DEFAULT_PUBLIC_PORTS : matching.flatMap((p) => p.ports);
  }

  isPublic(host: string, proto: 'tcp' | 'udp', port: number): boolean {
    return portInRanges(this.publicPorts(host), proto, port);
  }

  restrictedPorts(): readonly PortRange[] {
    return this.policy?.restrictedPorts ?? DEFAULT_RESTRICTED_PORTS;
  }

  /**
   * Names of the trusted lists that together hold every remote source (only the lists that
   * contribute are named); null when a source lies outside all of them or there is none.
   */
  trustedBy(sources: SourceLists): string[] | null {
    if (this.trustedSets.length === 0) return null;
    if (sources.ipv4.length === 0 && sources.ipv6.length === 0) return null;
    const names = new Set<string>();
    for (const f of FAMILIES) {
      const set = sourceSet(sources, f);
      if (set.length === 0) continue;
      let all: AddrSet = [];
      for (const t of this.trustedSets) all = union(all as IntervalSet<number>, t.sets[f] as IntervalSet<number>) as AddrSet;
      if (!within(set, all)) return null;
      for (const t of this.trustedSets) {
        if (t.sets[f].length > 0 && intersectsSet(set, t.sets[f])) names.add(t.name);
      }
    }
    return [...names].sort();
  }

  severityFor(check: string, fallback: Severity): Severity {
    return this.policy?.severity[check] ?? fallback;
  }

  /** Exceptions (expired or not) that match a finding. */
  exceptionsFor(finding: Pick<Finding, 'rule' | 'host' | 'service'>): PolicyException[] {
    return (this.policy?.exceptions ?? []).filter((e) => exceptionMatches(e, finding));
  }

  expiredExceptions(host: string): PolicyException[] {
    return (this.policy?.exceptions ?? []).filter((e) => isExpired(e, this.now) && (e.host === null || globMatches(e.host, host)));
  }
}

export function exceptionMatches(e: PolicyException, f: Pick<Finding, 'rule' | 'host' | 'service'>): boolean {
  if (e.host !== null && !globMatches(e.host, f.host)) return false;
  if (e.check !== null && e.check !== f.rule) return false;
  if (e.service !== null) {
    if (f.service === null) return false;
    if (!portInRanges([e.service], f.service.proto, f.service.port)) return false;
  }
  return true;
}

function intersectsSet(a: AddrSet, b: AddrSet): boolean {
  return intersects(a as IntervalSet<number>, b as IntervalSet<number>);
}

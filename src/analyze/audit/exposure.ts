/**
 * Exposure classes: how far a service reaches, from the remote sources that can open a
 * connection to it, one family at a time.
 *
 * Public space is what a stranger can send from:
 * - IPv4: everything minus private, CGNAT, loopback, link-local, multicast, "this network"
 *   (0/8) and reserved (240/4). Documentation ranges stay public: tests use them as strangers.
 * - IPv6: global unicast 2000::/3 (RFC 4291 §2.4, the only range IANA allocates from), so
 *   that a rule admitting 2000::/3 counts as the world, as `::/0` does.
 *
 * "Wide" starts beyond 65,536 IPv4 addresses (a /16: some 256 sites of a /24). Counting
 * IPv6 addresses one by one is meaningless (one LAN is a /64), so the same idea, 256 sites
 * of a /48 (RFC 6177), puts the IPv6 bound at a /40.
 *
 * @module
 */
import { exactSources } from '../exact-sources.js';
import { type AddrSet, type Family, FAMILIES, addrCount, addrDomain, blockSet, cidrsToSet } from '../../model/addr.js';
import { complement, difference, intersect, isEmpty, isSubset, type IntervalSet } from '../../model/interval-set.js';
import type { ServiceReach, SourceLists } from '../types.js';
import { EXPOSURES, type Exposure } from './types.js';

type AnySet = IntervalSet<number>;

const NOT_PUBLIC_V4 = blockSet('ipv4', ['loopback', 'private', 'cgnat', 'linkLocal', 'multicast', 'unspecified', 'reserved']);
const PUBLIC: Record<Family, AddrSet> = {
  ipv4: complement(NOT_PUBLIC_V4 as AnySet, addrDomain('ipv4') as never) as AddrSet,
  ipv6: cidrsToSet(['2000::/3'], 'ipv6'),
};
/** Remote sources that are not strangers: RFC 1918, CGNAT, link-local, ULA (for renderers that split sources). */
export const INTERNAL_SPACE: Record<Family, AddrSet> = {
  ipv4: blockSet('ipv4', ['private', 'cgnat', 'linkLocal']),
  ipv6: blockSet('ipv6', ['private', 'linkLocal']),
};
const WIDE_BOUND: Record<Family, bigint> = { ipv4: 65_536n, ipv6: 1n << 88n };

/** The public address space of a family. */
export function publicSpace(family: Family): AddrSet {
  return PUBLIC[family];
}

/** Public sources within a source set. */
export function publicPart(sources: AddrSet, family: Family): AddrSet {
  return intersect(sources as AnySet, PUBLIC[family] as AnySet) as AddrSet;
}

/**
 * Class of one family's sources. `socketReachable` says whether the host itself reaches the
 * socket in this family (false: the socket does not take this family, or binds an address
 * the host lacks), which separates `local` from `closed` when no remote source gets in.
 */
export function classifySources(sources: AddrSet, family: Family, socketReachable: boolean): Exposure {
  const pub = addrCount(publicPart(sources, family));
  if (pub > 0n) {
    const total = addrCount(PUBLIC[family]);
    if (pub * 2n >= total) return 'world';
    return pub > WIDE_BOUND[family] ? 'wide' : 'allowlisted';
  }
  // Sources outside both public and internal space (multicast, 240/4) are not strangers either.
  if (!isEmpty(sources as AnySet)) return 'internal';
  return socketReachable ? 'local' : 'closed';
}

/** Does this service's socket take packets of this family? */
export function servesFamily(service: Pick<ServiceReach, 'family' | 'dualStack'>, family: Family): boolean {
  return service.family === family || (service.dualStack && family === 'ipv4');
}

/** Exposure per family and overall (the worst of the two). */
export function serviceExposure(service: Pick<ServiceReach, 'family' | 'dualStack' | 'sources' | 'linkScoped' | 'cloud'>): { exposure: Exposure; byFamily: Record<Family, Exposure> } {
  const byFamily = {} as Record<Family, Exposure>;
  for (const f of FAMILIES) {
    const set = sourceSet(service.sources, f);
    byFamily[f] = classifySources(set, f, servesFamily(service, f));
    // Link-scoped destinations only: hosts on the link, whatever addresses they use (README).
    if (service.linkScoped?.includes(f) && isRemote(byFamily[f])) byFamily[f] = 'internal';
    // Behind an internet-facing balancer the host sees a private address, but strangers get in (cloud join).
    const through = service.cloud?.balancerSources;
    if (through) byFamily[f] = worstExposure(byFamily[f], classifySources(sourceSet(through, f), f, false));
  }
  return { exposure: worstExposure(byFamily.ipv4, byFamily.ipv6), byFamily };
}

/** Rank: 0 is the widest (world). */
export function exposureRank(e: Exposure): number {
  return EXPOSURES.indexOf(e);
}

export function worstExposure(...list: Exposure[]): Exposure {
  let worst: Exposure = 'closed';
  for (const e of list) if (exposureRank(e) < exposureRank(worst)) worst = e;
  return worst;
}

/** Reachable from anywhere but this host. */
export function isRemote(e: Exposure): boolean {
  return e !== 'local' && e !== 'closed';
}

/** World or wide: strangers get in. */
export function isPublicExposure(e: Exposure): boolean {
  return e === 'world' || e === 'wide';
}

/** A family's source set; malformed CIDRs (an engine bug) are read as "anyone" rather than dropped. */
export function sourceSet(lists: SourceLists, family: Family): AddrSet {
  // The engine keeps the exact set beside lists it had to cut short.
  const exact = exactSources(lists, family);
  if (exact) return exact;
  try {
    return cidrsToSet(lists[family], family);
  } catch {
    return complement([] as AnySet, addrDomain(family) as never) as AddrSet;
  }
}

/** Is every source inside `allowed`? */
export function within(sources: AddrSet, allowed: AddrSet): boolean {
  return isSubset(sources as AnySet, allowed as AnySet);
}

/** a minus b. */
export function minus(a: AddrSet, b: AddrSet): AddrSet {
  return difference(a as AnySet, b as AnySet) as AddrSet;
}


/**
 * Link scope: a packet addressed to a link-local address (fe80::/10, 169.254.0.0/16, RFC
 * 4291 §2.5.6 and RFC 3927 §2.7), to multicast or to a broadcast address is never routed
 * across routers, so only a host on the link can send it, and a reply with a link-local
 * source reaches only the link. A service admitted for such destinations only is reachable
 * from the link alone; its sources are the on-link ones (reached without a gateway, or
 * link-local themselves).
 *
 * @module
 */
import { type AddrSet, type Family, cidrsToSet } from '../model/addr.js';
import * as I from '../model/interval-set.js';
import { Dim, type DimSet, PacketSet, ifaceSet } from '../model/packet-set.js';
import type { ArrivalCube } from './engine/arrival-routes.js';
import { ANY_IFACE } from './engine/reply-route.js';

const LINK_DESTINATIONS: Record<Family, AddrSet> = {
  ipv4: cidrsToSet(['169.254.0.0/16', '224.0.0.0/4', '255.255.255.255/32'], 'ipv4'),
  ipv6: cidrsToSet(['fe80::/10', 'ff00::/8'], 'ipv6'),
};
const LINK_LOCAL_SOURCES: Record<Family, AddrSet> = {
  ipv4: cidrsToSet(['169.254.0.0/16'], 'ipv4'),
  ipv6: cidrsToSet(['fe80::/10'], 'ipv6'),
};

/** Are all these destinations link-scoped? */
function linkScopedOnly(dst: DimSet, family: Family): boolean {
  return I.isSubset(dst as I.IntervalSet<I.Ordinal>, LINK_DESTINATIONS[family] as I.IntervalSet<I.Ordinal>);
}

/**
 * When every admitted packet is addressed to a link-scoped destination: the admitted packets
 * from on-link sources only. Null when some admitted destination is not link-scoped.
 */
export function restrictToLink(reached: PacketSet, routes: readonly ArrivalCube[] | null): PacketSet | null {
  if (reached.isEmpty() || !linkScopedOnly(reached.project(Dim.Dst), reached.family)) return null;
  const family = reached.family;
  const linkLocal = LINK_LOCAL_SOURCES[family] as I.IntervalSet<I.Ordinal>;
  if (!routes) return reached.restrict(Dim.Src, linkLocal as DimSet);
  let allowed = PacketSet.empty(family);
  for (const c of routes) {
    const src = I.union(c.onLink as I.IntervalSet<I.Ordinal>, linkLocal);
    const where = c.iface === ANY_IFACE ? { [Dim.Src]: src } : { [Dim.Src]: src, [Dim.Iif]: ifaceSet([c.iface]) };
    allowed = allowed.union(PacketSet.where(family, where as never));
  }
  return reached.intersect(allowed);
}

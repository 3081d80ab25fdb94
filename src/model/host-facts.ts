/**
 * Address facts derived from a snapshot's interfaces: which addresses are local, which
 * subnets are connected, which interfaces face the outside. Both lowering (addrtype LOCAL)
 * and the engine (routing decision, arrival sets) read them.
 *
 * @module
 */
import { type AddrSet, type Family, addrPointSet, blockSet, cidrSet, parseAddr, parseCidr } from './addr.js';
import type { HostContext, IpSet } from './host-context.js';
import * as I from './interval-set.js';
import type { NetInterface, Snapshot } from './snapshot.js';

export interface AddressFacts {
  /** Every local address including loopback ranges (the kernel's local table); null when interfaces are unknown. */
  local: Record<Family, AddrSet | null>;
  /** Local addresses a remote packet can be addressed to (no loopback); null when unknown. */
  remoteReachable: Record<Family, AddrSet | null>;
  /** Connected prefixes by interface (no loopback). */
  subnets: Record<Family, { iface: string; addrs: AddrSet }[]>;
  broadcast: AddrSet | null;
  /** Non-loopback interface names; null when unknown. */
  remoteInterfaces: string[] | null;
  /** The first non-loopback address of each family, for `explain` without --to. */
  primary: Record<Family, string | null>;
}

export function addressFacts(interfaces: readonly NetInterface[] | null): AddressFacts {
  if (!interfaces) {
    return {
      local: { ipv4: null, ipv6: null },
      remoteReachable: { ipv4: null, ipv6: null },
      subnets: { ipv4: [], ipv6: [] },
      broadcast: null,
      remoteInterfaces: null,
      primary: { ipv4: null, ipv6: null },
    };
  }
  const local: Record<Family, I.IntervalSet<I.Ordinal>> = {
    ipv4: blockSet('ipv4', ['loopback']) as I.IntervalSet<I.Ordinal>,
    ipv6: blockSet('ipv6', ['loopback']) as I.IntervalSet<I.Ordinal>,
  };
  const remote: Record<Family, I.IntervalSet<I.Ordinal>> = { ipv4: [], ipv6: [] };
  const subnets: AddressFacts['subnets'] = { ipv4: [], ipv6: [] };
  const primary: AddressFacts['primary'] = { ipv4: null, ipv6: null };
  let broadcast: I.IntervalSet<I.Ordinal> = addrPointSet({ family: 'ipv4', value: 0xffffffff }) as I.IntervalSet<I.Ordinal>;
  for (const iface of interfaces) {
    for (const a of iface.addresses) {
      const parsed = parseAddr(a.address);
      if (!parsed || parsed.family !== a.family) continue;
      const point = addrPointSet(parsed) as I.IntervalSet<I.Ordinal>;
      local[a.family] = I.union(local[a.family], point);
      if (iface.loopback) continue;
      remote[a.family] = I.union(remote[a.family], point);
      primary[a.family] ??= a.address;
      const prefix = parseCidr(`${a.address}/${a.prefixLength}`);
      if (prefix) subnets[a.family].push({ iface: iface.name, addrs: cidrSet(prefix) });
      if (a.broadcast) {
        const b = parseAddr(a.broadcast);
        if (b) broadcast = I.union(broadcast, addrPointSet(b) as I.IntervalSet<I.Ordinal>);
      }
    }
  }
  return {
    local: local as Record<Family, AddrSet>,
    remoteReachable: remote as Record<Family, AddrSet>,
    subnets,
    broadcast: broadcast as AddrSet,
    remoteInterfaces: interfaces.filter((i) => !i.loopback).map((i) => i.name),
    primary,
  };
}

/** The lowering context of a snapshot: local and broadcast addresses, ipset members. */
export function hostContext(snapshot: Pick<Snapshot, 'interfaces'>, ipsets: ReadonlyMap<string, IpSet>): HostContext {
  const facts = addressFacts(snapshot.interfaces);
  return { localAddrs: facts.local, broadcastAddrs: facts.broadcast, ipsets };
}

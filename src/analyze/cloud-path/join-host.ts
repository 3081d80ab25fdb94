/**
 * One path from the internet to the socket: a host snapshot's engine verdicts narrowed by
 * what the cloud lets through to that instance. A port the cloud closes is closed to the
 * world whatever the host firewall does, and the service says which layer closed it.
 *
 * @module
 */
import { type AddrSet, type Family, cidrsToSet, parseAddr, toCidrs } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import { servesFamily } from '../audit/exposure.js';
import type { HostAnalysis, ServiceReach } from '../types.js';
import type { CloudHost } from './index.js';
import { segmentPath } from './exposure-list.js';
import type { FamilyPath } from './interface-path.js';
import { TCP, UDP } from './rule-sets.js';
import type { ClosedBy, LoadBalancerExposure, ServiceCloudPath } from './types.js';

/** The cloud instance that owns one of these addresses (a host's interface addresses). */
export function matchInstance(addresses: readonly string[], hosts: readonly CloudHost[]): CloudHost | null {
  const wanted = new Set(addresses.map((a) => parseAddr(a)).filter((a) => a !== null).map((a) => String(a.value)));
  for (const h of hosts) {
    for (const p of h.paths) for (const a of [...p.eni.privateIps, ...p.eni.ipv6]) if (wanted.has(String(parseAddr(a)?.value))) return h;
  }
  return null;
}

function flowOf(family: Family, proto: 'tcp' | 'udp', port: number): PacketSet {
  return PacketSet.where(family, { [Dim.Proto]: I.range(proto === 'tcp' ? TCP : UDP, (proto === 'tcp' ? TCP : UDP) + 1) as DimSet, [Dim.Dport]: I.range(port, port + 1) as DimSet });
}

const ORDER: ClosedBy[] = ['public-address', 'route', 'security-group', 'network-acl-inbound', 'network-acl-outbound'];

/** The first layer, in path order, that leaves nothing of the flow (null: the internet gets through). */
function closedBy(fp: FamilyPath, flow: PacketSet): ClosedBy | null {
  if (!fp.publicAddress) return 'public-address';
  let s = fp.internetSpace.intersect(flow);
  if (s.isEmpty()) return 'route';
  s = s.intersect(fp.securityGroupSet);
  if (s.isEmpty()) return 'security-group';
  s = s.intersect(fp.aclInAllowed);
  if (s.isEmpty()) return 'network-acl-inbound';
  return s.intersect(fp.replyAllowed).isEmpty() ? 'network-acl-outbound' : null;
}

function serviceCloudPath(cloud: CloudHost, service: ServiceReach): { path: ServiceCloudPath; sources: Record<Family, AddrSet> } {
  const sources = { ipv4: I.emptySet<number>(), ipv6: I.emptySet<bigint>() } as Record<Family, AddrSet>;
  let furthest = -1;
  let open = false;
  const parts: { iface: CloudHost['paths'][number]; family: Family; set: PacketSet }[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    if (!servesFamily(service, family)) continue;
    const flow = flowOf(family, service.proto, service.port);
    for (const iface of cloud.paths) {
      const fp = iface.families[family];
      sources[family] = I.union(sources[family] as I.IntervalSet<I.Ordinal>, fp.admittedAll.intersect(flow).project(Dim.Src)) as AddrSet;
      const internet = fp.admittedInternet.intersect(flow);
      if (!internet.isEmpty()) parts.push({ iface, family, set: internet });
      const by = closedBy(fp, flow);
      if (by === null) open = true;
      else furthest = Math.max(furthest, ORDER.indexOf(by));
    }
  }
  const path = parts.length > 0 ? segmentPath({ proto: service.proto, fromPort: service.port, toPort: service.port, sources, parts }) : [];
  const out: ServiceCloudPath = { internet: open, closedBy: open ? null : (ORDER[furthest] ?? 'public-address'), path };
  // Balancers that get the internet through to this port (the host sees the balancer's or the client's address).
  const via = (cloud.facts.loadBalancers ?? []).filter((e) => e.reachesTarget && e.proto === service.proto && e.targetPort === service.port);
  if (via.length > 0) out.loadBalancers = [...new Set(via.map((e) => `${e.loadBalancer} (${e.listener.protocol} ${e.listener.port})`))];
  const through = balancerSources(service, via);
  if (through) out.balancerSources = through;
  // An NLB passes the client's address on (instance targets): the host sees internet sources. Read
  // so for every NLB entry (ip targets see the NLB instead: the more exposed reading).
  for (const e of via) {
    if (e.type !== 'network') continue;
    for (const family of ['ipv4', 'ipv6'] as const) {
      if (servesFamily(service, family)) sources[family] = I.union(sources[family] as I.IntervalSet<I.Ordinal>, cidrsToSet(e.sources[family], family) as I.IntervalSet<I.Ordinal>) as AddrSet;
    }
  }
  return { path: out, sources };
}

/**
 * The internet sources of the balancers whose forwarded connections the host firewall admits
 * (it sees the balancer's address, or the client's for an NLB): strangers reach the socket
 * through them whatever private address the host sees, so they count for its exposure.
 */
function balancerSources(service: ServiceReach, via: readonly LoadBalancerExposure[]): ServiceReach['sources'] | undefined {
  const out = { ipv4: I.emptySet<number>(), ipv6: I.emptySet<bigint>() } as Record<Family, AddrSet>;
  let any = false;
  for (const e of via) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      if (!servesFamily(service, family)) continue;
      const hostAdmits = cidrsToSet(service.sources[family], family) as I.IntervalSet<I.Ordinal>;
      // A cut list is not exact: read as admitting the balancer (the more exposed reading).
      const cut = (service.sourcesOmitted?.[family] ?? 0) > 0;
      if (!cut && !I.intersects(hostAdmits, cidrsToSet(e.seenFrom[family], family) as I.IntervalSet<I.Ordinal>)) continue;
      out[family] = I.union(out[family] as I.IntervalSet<I.Ordinal>, cidrsToSet(e.sources[family], family) as I.IntervalSet<I.Ordinal>) as AddrSet;
      any = true;
    }
  }
  return any ? { ipv4: toCidrs(out.ipv4, 'ipv4'), ipv6: toCidrs(out.ipv6, 'ipv6') } : undefined;
}

/** CIDR lists intersected with what the cloud admits, per family. */
function narrowLists(lists: ServiceReach['sources'], omitted: { ipv4: number; ipv6: number } | undefined, cloud: Record<Family, AddrSet>): ServiceReach['sources'] {
  const out = { ...lists };
  for (const family of ['ipv4', 'ipv6'] as const) {
    // A cut list (a huge blocklist) is not exact: narrowing it could hide sources, so it stays.
    if (omitted && omitted[family] > 0) continue;
    const host = cidrsToSet(lists[family], family) as I.IntervalSet<I.Ordinal>;
    out[family] = toCidrs(I.intersect(host, cloud[family] as I.IntervalSet<I.Ordinal>) as AddrSet, family);
  }
  return out;
}

/** The host's analysis, renamed to the instance id, each service's sources narrowed by the cloud. */
export function joinHost(analysis: HostAnalysis, cloud: CloudHost, by: 'instance-id' | 'private-address' = 'private-address'): HostAnalysis {
  const services = analysis.services.map((s): ServiceReach => {
    const { path, sources } = serviceCloudPath(cloud, s);
    const narrowed = narrowLists(s.sources, s.sourcesOmitted, sources);
    // The per-interface lists say the same thing split by arrival interface: narrow them alike.
    const interfaces = s.interfaces?.map((i) => ({ ...i, sources: narrowLists(i.sources, i.omitted, sources) }));
    return { ...s, sources: narrowed, ...(interfaces ? { interfaces } : {}), cloud: path };
  });
  return {
    ...analysis,
    name: cloud.facts.instanceId,
    services,
    cloud: { ...cloud.facts, joined: { hostname: analysis.name, by } },
    internet: cloud.internet,
  };
}

/** An instance without a host snapshot: what the cloud lets through, no listener known. */
export function cloudOnlyHost(cloud: CloudHost, collectedAt: string): HostAnalysis {
  return {
    name: cloud.facts.instanceId,
    collectedAt,
    services: [],
    shadowedRules: [],
    backends: { ipv4: [], ipv6: [] },
    sourceStatus: [],
    diagnostics: [],
    cloud: cloud.facts,
    internet: cloud.internet,
  };
}

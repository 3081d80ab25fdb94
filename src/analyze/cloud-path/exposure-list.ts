/**
 * Admitted packet sets → the report's list: one entry per protocol and port range with the
 * same sources and the same deciding rules (adjacent ports merged), sources as minimal
 * CIDR lists, and the hops of the path with the rules that decided each.
 *
 * @module
 */
import { type AddrSet, type Family, toCidrs } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import type { InterfacePath } from './interface-path.js';
import { ICMP, TCP, UDP } from './rule-sets.js';
import type { CloudRuleRef, InternetExposure, PathHop } from './types.js';

export interface PortSegment {
  proto: string;
  fromPort: number;
  toPort: number;
  sources: Record<Family, AddrSet>;
  /** Per interface and family, the admitted packets of this segment (for the path). */
  parts: { iface: InterfacePath; family: Family; set: PacketSet }[];
}

const PROTO_KEYS: { name: string; protos: (f: Family) => DimSet | null }[] = [
  { name: 'tcp', protos: () => I.range(TCP, TCP + 1) as DimSet },
  { name: 'udp', protos: () => I.range(UDP, UDP + 1) as DimSet },
  { name: 'icmp', protos: (f) => (f === 'ipv4' ? (I.range(ICMP.ipv4, ICMP.ipv4 + 1) as DimSet) : null) },
  { name: 'ipv6-icmp', protos: (f) => (f === 'ipv6' ? (I.range(ICMP.ipv6, ICMP.ipv6 + 1) as DimSet) : null) },
  { name: 'other', protos: (f) => I.difference(I.range(0, 256), I.fromPoints([TCP, UDP, ICMP[f]])) as DimSet },
];

/** Split what `pick` selects on each interface into (protocol, port range) segments of equal sources. */
export function portSegments(paths: readonly InterfacePath[], pick: (p: InterfacePath, f: Family) => PacketSet): PortSegment[] {
  const out: PortSegment[] = [];
  for (const key of PROTO_KEYS) {
    const parts: { iface: InterfacePath; family: Family; set: PacketSet }[] = [];
    const bounds = new Set<number>([0, 65536]);
    for (const iface of paths) {
      for (const family of ['ipv4', 'ipv6'] as const) {
        const protos = key.protos(family);
        if (!protos) continue;
        const set = pick(iface, family).restrict(Dim.Proto, protos);
        if (set.isEmpty()) continue;
        parts.push({ iface, family, set });
        for (const c of set.cubes) for (const [lo, hi] of I.ranges(c[Dim.Dport]!)) bounds.add(lo as number).add(hi as number);
      }
    }
    if (parts.length === 0) continue;
    // "other" protocols have no ports: one segment over the whole port dimension.
    const edges = key.name === 'other' ? [0, 65536] : [...bounds].sort((a, b) => a - b);
    for (let i = 0; i + 1 < edges.length; i++) {
      const ports = I.range(edges[i]!, edges[i + 1]!) as DimSet;
      const segParts = parts.map((p) => ({ ...p, set: p.set.restrict(Dim.Dport, ports) })).filter((p) => !p.set.isEmpty());
      if (segParts.length === 0) continue;
      const sources = { ipv4: I.emptySet<number>(), ipv6: I.emptySet<bigint>() } as Record<Family, AddrSet>;
      for (const p of segParts) sources[p.family] = I.union(sources[p.family] as I.IntervalSet<I.Ordinal>, p.set.project(Dim.Src)) as AddrSet;
      const [fromPort, toPort] = displayRange(key.name, edges[i]!, edges[i + 1]!);
      out.push({ proto: key.name, fromPort, toPort, sources, parts: segParts });
    }
  }
  return out;
}

/** Ports as they are; ICMP types out of the engine's `type << 8 | code` encoding. */
function displayRange(proto: string, lo: number, hi: number): [number, number] {
  if (proto === 'icmp' || proto === 'ipv6-icmp') return [lo >> 8, (hi - 1) >> 8];
  if (proto === 'other') return [0, 65535];
  return [lo, hi - 1];
}

/** The hops of a segment's path, with the rules that decided its packets. */
export function segmentPath(seg: PortSegment): PathHop[] {
  const hops = new Map<string, PathHop>();
  const add = (layer: PathHop['layer'], id: string, ref: CloudRuleRef | null) => {
    const key = `${layer} ${id}`;
    let hop = hops.get(key);
    if (!hop) hops.set(key, (hop = { layer, id, rules: [] }));
    if (ref && !hop.rules.some((r) => r.id === ref.id && r.rule === ref.rule)) hop.rules.push(ref);
  };
  for (const { iface, family, set } of seg.parts) {
    const fp = iface.families[family];
    const srcs = PacketSet.where(family, { [Dim.Src]: set.project(Dim.Src) });
    for (const r of fp.routes) {
      if (r.class !== 'igw' || r.family !== family || !srcs.intersects(PacketSet.where(family, { [Dim.Src]: r.sources as DimSet }))) continue;
      add('internet-gateway', r.target, null);
    }
    for (const r of fp.routes) {
      if (r.class === 'igw' && r.family === family && srcs.intersects(PacketSet.where(family, { [Dim.Src]: r.sources as DimSet }))) add('route-table', r.ref.id, r.ref);
    }
    for (const d of fp.aclIn) if (d.decides.intersects(set)) add('network-acl-inbound', d.ref.id, d.ref);
    for (const d of fp.aclOut) if (d.decides.intersects(set)) add('network-acl-outbound', d.ref.id, d.ref);
    for (const m of fp.securityGroups) if (m.set.intersects(set)) add('security-group', m.ref.id, m.ref);
    const addrs = family === 'ipv4' ? iface.eni.publicIps.map((p) => `${p} → ${iface.eni.privateIps[0] ?? '?'}`) : iface.eni.ipv6;
    add('network-interface', iface.eni.id, { id: iface.eni.id, rule: family, text: addrs.join(', '), origin: iface.eni.origin });
  }
  return [...hops.values()];
}

/** Segments → report entries, merging neighbours with equal sources and path. */
export function exposureEntries(segments: readonly PortSegment[]): InternetExposure[] {
  const out: InternetExposure[] = [];
  let lastKey = '';
  for (const seg of segments) {
    const entry: InternetExposure = { proto: seg.proto, fromPort: seg.fromPort, toPort: seg.toPort, sources: { ipv4: toCidrs(seg.sources.ipv4, 'ipv4'), ipv6: toCidrs(seg.sources.ipv6, 'ipv6') }, path: segmentPath(seg) };
    const key = JSON.stringify([entry.proto, entry.sources, entry.path]);
    const prev = out[out.length - 1];
    if (prev && key === lastKey && prev.toPort + 1 === entry.fromPort) prev.toPort = entry.toPort;
    else out.push(entry);
    lastKey = key;
  }
  return out;
}

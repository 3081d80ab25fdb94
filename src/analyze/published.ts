/**
 * Published ports: host ports that prerouting DNAT sends elsewhere (Docker and Podman's
 * `-p`, kube-proxy's NodePorts, a hand-written DNAT). Which arrival ports are caught is
 * found by walking the packets, not by reading the DNAT rule's own match: kube-proxy's
 * `KUBE-SEP-*` DNAT rules match any port, the port is decided by `KUBE-NODEPORTS` two
 * chains up.
 *
 * @module
 */
import { type AddrSet, type Family, cidrsToSet, toCidrsLimited } from '../model/addr.js';
import { MAX_LISTED_PREFIXES, attachExactSources, exactSources } from './exact-sources.js';
import type { AddressFacts } from '../model/host-facts.js';
import * as I from '../model/interval-set.js';
import { Dim, type DimSet, PacketSet } from '../model/packet-set.js';
import { TCP, UDP, arrivalSet } from './engine/arrival.js';
import type { WalkEvent } from './engine/evaluate-chain.js';
import type { PacketPath } from './engine/packet-path.js';
import type { ServiceReach } from './types.js';

/** Per protocol, the arrival ports some prerouting DNAT/REDIRECT rewrites. */
export function natSlices(path: PacketPath, facts: AddressFacts, family: Family): { proto: number; ports: DimSet }[] {
  return natWalks(path, facts, family)
    .filter((w) => !I.isEmpty(w.dnatPorts as I.IntervalSet<number>))
    .map((w) => ({ proto: w.proto, ports: w.dnatPorts }));
}

/** One protocol's packets on every port, walked through ingress and prerouting. */
export interface PreroutingWalk {
  proto: number;
  arrival: PacketSet;
  /** What got through both hooks (rewritten by any DNAT). */
  passed: PacketSet;
  events: WalkEvent[];
  /** Arrival ports some DNAT/REDIRECT rewrites. */
  dnatPorts: DimSet;
  /** Whether a memoised walk ran (its summaries depend on the packets walked). */
  memoised: boolean;
  /** Whether a REDIRECT keeps the destination address (the host's addresses are not known). */
  redirectKeepsAddress: boolean;
}

/** {@link natSlices}'s walks themselves, one per protocol; none when no prerouting or ingress chain exists. */
export function natWalks(path: PacketPath, facts: AddressFacts, family: Family): PreroutingWalk[] {
  const out: PreroutingWalk[] = [];
  const hasNat = path.model.baseChains.some((b) => b.hook === 'prerouting' || b.hook === 'ingress');
  if (!hasNat) return out;
  for (const proto of [TCP, UDP]) {
    const arrival = arrivalSet({ family, proto, ports: I.range(0, 65536), facts });
    const events: WalkEvent[] = [];
    const saved = path.walker.events;
    const memoWalks = path.walker.memoWalks;
    path.walker.events = events;
    let passed: PacketSet;
    try {
      passed = path.runHook('prerouting', path.runHook('ingress', arrival).passed).passed;
    } finally {
      path.walker.events = saved;
    }
    const dnatPorts: I.IntervalSet<number>[] = [];
    for (const e of events) if (e.verdict === 'dnat') dnatPorts.push(e.set.project(Dim.Dport) as I.IntervalSet<number>);
    out.push({ proto, arrival, passed, events, dnatPorts: I.unionAll(dnatPorts), memoised: path.walker.memoWalks !== memoWalks, redirectKeepsAddress: path.facts.redirectAddrs === null });
  }
  return out;
}

/**
 * The host addresses a client connected to, for packets DNAT sent to `dst`:`dport`: the
 * original destinations of the DNAT steps of the walk that rewrite to that target.
 */
export function originalDestinations(events: readonly WalkEvent[], dst: DimSet, dport: DimSet, family: Family): DimSet {
  let out: DimSet = [];
  for (const e of events) {
    if (e.verdict !== 'dnat' || !e.rule || e.rule.action.type !== 'dnat') continue;
    const a = e.rule.action;
    if (a.toLocal) continue;
    if (a.addr && !I.intersects(a.addr as I.IntervalSet<I.Ordinal>, dst as I.IntervalSet<I.Ordinal>)) continue;
    if (a.ports && !I.intersects(a.ports as I.IntervalSet<number>, dport as I.IntervalSet<number>)) continue;
    out = I.union(out as I.IntervalSet<I.Ordinal>, e.set.project(Dim.Dst) as I.IntervalSet<I.Ordinal>) as DimSet;
  }
  return out.length > 0 ? out : PacketSet.all(family).project(Dim.Dst);
}

/**
 * A port published through DNAT is one service. Docker's userland proxy (docker-proxy)
 * listens on the host port and address too: packets the DNAT does not take (those arriving
 * from the bridge, from the host itself) reach that socket and are proxied to the same
 * container. So a socket on a published port and address is the published service's own:
 * its process is named there and what reaches it joins the service's sources, instead of a
 * second service on the same port.
 */
export function mergeProxySockets(services: ServiceReach[]): ServiceReach[] {
  const forwards = services.filter((s) => s.path.kind === 'forward');
  if (forwards.length === 0) return services;
  const drop = new Set<ServiceReach>();
  for (const local of services) {
    if (local.path.kind !== 'local') continue;
    const takes: Family[] = local.dualStack ? ['ipv4', 'ipv6'] : [local.family];
    const owners = forwards.filter((f) => f.proto === local.proto && f.port === local.port && takes.includes(f.family) && coversBind(f, local));
    // A socket whose other family no DNAT takes stays a service of its own for that family.
    if (owners.length === 0 || !takes.every((fam) => local.sources[fam].length === 0 || owners.some((f) => f.family === fam))) continue;
    for (const f of owners) {
      f.process ??= local.process;
      const joined = I.union(sourceSet(f, f.family), sourceSet(local, f.family)) as AddrSet;
      const listed = toCidrsLimited(joined, f.family, MAX_LISTED_PREFIXES);
      f.sources[f.family] = listed.cidrs;
      if (listed.omittedRanges > 0) f.sourcesOmitted = { ipv4: 0, ipv6: 0, ...f.sourcesOmitted, [f.family]: listed.omittedRanges };
      attachExactSources(f.sources, f.family, joined);
      f.decisions.push(...local.decisions.filter((d) => d.rule.family === f.family));
      f.uncertain.push(...local.uncertain.filter((u) => u.rule.family === f.family));
      f.rateLimited ||= local.rateLimited;
    }
    drop.add(local);
  }
  return drop.size === 0 ? services : services.filter((s) => !drop.has(s));
}

function sourceSet(s: ServiceReach, family: Family): I.IntervalSet<I.Ordinal> {
  return (exactSources(s.sources, family) ?? cidrsToSet(s.sources[family], family)) as I.IntervalSet<I.Ordinal>;
}

/** Whether a published service takes the packets of the socket's bind address (a port published on every address takes all). */
function coversBind(forward: ServiceReach, local: ServiceReach): boolean {
  return forward.address === '*' || forward.address.split(',').includes(local.address);
}

/**
 * The (address, port) targets forwarded packets went to, as the DNAT rules of the walk name
 * them (two endpoints next to each other would otherwise merge into one range); by the
 * packets themselves when no rule names one.
 */
export function dnatTargets(forwarded: PacketSet, events: readonly WalkEvent[]): Map<string, { dst: DimSet; dport: DimSet }> {
  const targets = new Map<string, { dst: DimSet; dport: DimSet }>();
  const all = PacketSet.all(forwarded.family);
  for (const e of events) {
    if (e.verdict !== 'dnat' || !e.rule || e.rule.action.type !== 'dnat' || e.rule.action.toLocal || !e.rule.action.addr) continue;
    const dst = e.rule.action.addr;
    const dport = e.rule.action.ports ?? all.project(Dim.Dport);
    const reached = forwarded.intersect(PacketSet.where(forwarded.family, { [Dim.Dst]: dst, [Dim.Dport]: dport } as Partial<Record<Dim, DimSet>>));
    if (reached.isEmpty()) continue;
    const t = { dst: reached.project(Dim.Dst), dport: reached.project(Dim.Dport) };
    targets.set(`${t.dst.join(',')}|${t.dport.join(',')}`, t);
  }
  if (targets.size === 0) for (const c of forwarded.cubes) targets.set(`${c[Dim.Dst]!.join(',')}|${c[Dim.Dport]!.join(',')}`, { dst: c[Dim.Dst]!, dport: c[Dim.Dport]! });
  return targets;
}

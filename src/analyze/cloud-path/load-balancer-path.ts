/**
 * Internet-facing load balancers as entry points: internet → the balancer's subnet
 * (route to an igw-, network ACL both ways, the balancer's own groups) → listener →
 * target group → the target's groups and network ACL on the target port.
 *
 * What the target sees as the source: an ALB (and an NLB towards `ip` targets, whose
 * client address preservation is off by default for TCP) opens its own connection from
 * its private addresses, so the target's groups must admit the balancer, not the
 * internet; an NLB towards `instance` targets keeps the client's address, so the
 * target's groups must admit the client (or the NLB's own group, when it has groups).
 *
 * @module
 */
import { type AddrSet, type Family, addrPointSet, cidrSet, parseAddr, parseCidr, toCidrs } from '../../model/addr.js';
import type { LbListener, LbTarget, LoadBalancer, NetworkInterface, TargetGroup } from '../../model/aws-network.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import { portSegments, segmentPath } from './exposure-list.js';
import { type CloudPathOptions, type InterfacePath, interfacePath } from './interface-path.js';
import { type NetworkIndex, emptyAddrs } from './network-index.js';
import { TCP, UDP } from './rule-sets.js';
import type { LoadBalancerClosedBy, LoadBalancerExposure, PathHop } from './types.js';
import { addToList } from '../../model/list-map.js';

const FAMILIES = ['ipv4', 'ipv6'] as const;

/** Listener protocol → IP protocols (GENEVE is a gateway balancer's: not an internet entry point). */
function listenerProtos(protocol: string): number[] {
  if (protocol === 'UDP') return [UDP];
  if (protocol === 'TCP_UDP') return [TCP, UDP];
  return [TCP]; // HTTP, HTTPS, TCP, TLS
}

/** The balancer's private addresses per subnet: its interfaces ("ELB app/<name>/…", "ELB net/<name>/…"), else the subnet's CIDRs. */
function balancerAddresses(index: NetworkIndex, lb: LoadBalancer, subnetId: string, notes: Set<string>): Record<Family, AddrSet> {
  // A Classic balancer's interfaces read "ELB <name>" exactly.
  const prefix = lb.type === 'classic' ? null : `ELB ${lb.type === 'application' ? 'app' : 'net'}/${lb.name}/`;
  const enis = index.net.interfaces.filter((e) => e.subnetId === subnetId && (prefix ? e.description?.startsWith(prefix) : e.description === `ELB ${lb.name}`));
  const out = emptyAddrs();
  const add = (set: AddrSet, f: Family) => (out[f] = I.union(out[f] as I.IntervalSet<I.Ordinal>, set as I.IntervalSet<I.Ordinal>) as AddrSet);
  for (const e of enis) for (const a of [...e.privateIps, ...e.ipv6]) {
    const p = parseAddr(a);
    if (p) add(addrPointSet(p), p.family);
  }
  if (enis.length > 0) return out;
  notes.add(`the interfaces of load balancer ${lb.name} in ${subnetId} are not in the export: its address read as any address of the subnet`);
  for (const s of index.net.subnets) if (s.id === subnetId) for (const text of s.cidrs) {
    const c = parseCidr(text);
    if (c) add(cidrSet(c), c.family);
  }
  return out;
}

/** The balancer's front in one subnet: a stand-in interface with the balancer's groups and a public address. */
function frontPath(index: NetworkIndex, lb: LoadBalancer, subnetId: string, options: CloudPathOptions, notes: Set<string>): InterfacePath {
  const eni: NetworkInterface = {
    id: `${lb.name} (${subnetId})`,
    subnetId,
    vpcId: lb.vpcId,
    instanceId: null,
    type: `load_balancer_${lb.type}`,
    groupIds: lb.securityGroups,
    privateIps: [],
    publicIps: [`${lb.name} (internet-facing)`],
    ipv6: lb.ipAddressType.startsWith('dualstack') ? [`${lb.name} (dualstack)`] : [],
    description: null,
    origin: lb.origin,
  };
  return index.cached(`lb front ${lb.arn} ${subnetId}`, () => interfacePath(index, eni, options, notes));
}

/** What the internet gets through the balancer's front to one listener: sources per subnet path. */
function frontAdmitted(lb: LoadBalancer, front: InterfacePath, family: Family, listener: LbListener, proto: number): PacketSet {
  const fp = front.families[family];
  if (fp.internetSpace.isEmpty()) return fp.internetSpace;
  const wanted = PacketSet.where(family, { [Dim.Proto]: I.range(proto, proto + 1) as DimSet, [Dim.Dport]: I.range(listener.port, listener.port + 1) as DimSet });
  // An NLB created without groups filters nothing itself.
  const groups = lb.securityGroups.length > 0 ? fp.securityGroupSet : PacketSet.all(family);
  return fp.internetSpace.intersect(wanted).intersect(fp.aclInAllowed).intersect(groups).intersect(fp.replyAllowed);
}

/** Whether the listener's default actions or any of its rules forward to the group. */
function forwardsTo(l: LbListener, tg: TargetGroup): boolean {
  return l.targetGroupArns.includes(tg.arn) || (l.rules?.some((r) => r.targetGroupArns.includes(tg.arn)) ?? false);
}

/** The listener's rules that forward to the group, as text ("priority 10: path-pattern /admin/*"); null when the rules are unknown. */
function forwardingRules(l: LbListener, tg: TargetGroup): string[] | null {
  if (l.rules === null) return null;
  return l.rules.filter((r) => r.targetGroupArns.includes(tg.arn)).map((r) => (r.priority === 'default' ? 'default' : `priority ${r.priority}: ${r.conditions}`));
}

export interface TargetRef {
  instanceId: string;
  path: InterfacePath;
}

/** Every internet-facing balancer's targets that are instances of the network (or IP targets on their interfaces). */
/** Entries per instance id, and the assumptions made per VPC (they concern every instance there: any could be a target). */
export function loadBalancerExposures(index: NetworkIndex, targetPaths: (t: LbTarget, tg: TargetGroup) => TargetRef | null, options: CloudPathOptions): { entries: Map<string, LoadBalancerExposure[]>; notesByVpc: Map<string, Set<string>> } {
  const out = new Map<string, LoadBalancerExposure[]>();
  const notesByVpc = new Map<string, Set<string>>();
  const net = index.net;
  for (const lb of net.loadBalancers) {
    if (lb.scheme !== 'internet-facing' || lb.type === 'gateway') continue;
    const notes = notesByVpc.get(lb.vpcId) ?? new Set<string>();
    notesByVpc.set(lb.vpcId, notes);
    const listeners = net.listeners.filter((l) => l.loadBalancerArn === lb.arn);
    const groups = net.targetGroups.filter((tg) => tg.loadBalancerArns.includes(lb.arn) || listeners.some((l) => forwardsTo(l, tg)));
    for (const tg of groups) {
      let via = listeners.filter((l) => forwardsTo(l, tg));
      if (via.length === 0) {
        // An ALB's rules, where not exported, may forward to it: read as reachable from every such listener (an NLB has no rules).
        via = lb.type === 'application' ? listeners.filter((l) => l.rules === null) : [];
        if (via.length > 0) notes.add(`target group ${tg.name} is attached to ${lb.name} but no default action forwards to it: read as reachable from ${via.map((l) => `${l.protocol} ${l.port}`).join(', ')} (describe-rules not exported for them)`);
      }
      if (tg.targets === null) {
        notes.add(`targets of ${tg.name} unknown (describe-target-health-${tg.name}.json missing)`);
        continue;
      }
      for (const target of tg.targets) {
        const ref = targetPaths(target, tg);
        if (!ref) continue;
        const port = target.port ?? tg.port;
        if (port === null) continue;
        for (const listener of via) {
          for (const proto of listenerProtos(listener.protocol)) {
            const entry = exposure(index, lb, listener, tg, target, ref, port, proto, options, notes);
            addToList(out, ref.instanceId, entry);
          }
        }
      }
    }
  }
  return { entries: out, notesByVpc };
}

function exposure(index: NetworkIndex, lb: LoadBalancer, listener: LbListener, tg: TargetGroup, target: LbTarget, ref: TargetRef, port: number, proto: number, options: CloudPathOptions, notes: Set<string>): LoadBalancerExposure {
  const clientPreserved = lb.type === 'network' && tg.targetType === 'instance';
  const fronts = lb.subnetIds.map((s) => frontPath(index, lb, s, options, notes));
  const sources = { ipv4: emptyAddrs().ipv4, ipv6: emptyAddrs().ipv6 } as Record<Family, AddrSet>;
  const seenFrom = emptyAddrs();
  const hops: PathHop[] = [];
  let frontOpen = false;
  let reaches = false;
  let closedBy: LoadBalancerClosedBy | null = null;
  const firstClosed = (c: LoadBalancerClosedBy) => (closedBy ??= c);
  for (const front of fronts) {
    for (const family of FAMILIES) {
      const admitted = frontAdmitted(lb, front, family, listener, proto);
      if (admitted.isEmpty()) continue;
      frontOpen = true;
      // The balancer → target leg: the balancer's addresses (or the client's) to the target port.
      const tp = ref.path.families[family];
      const toPort = PacketSet.where(family, { [Dim.Proto]: I.range(proto, proto + 1) as DimSet, [Dim.Dport]: I.range(port, port + 1) as DimSet, [Dim.Sport]: I.range(options.clientPorts.from, options.clientPorts.to + 1) as DimSet });
      const lbAddrs = balancerAddresses(index, lb, front.eni.subnetId, notes)[family];
      let seen = PacketSet.where(family, { [Dim.Src]: lbAddrs as DimSet }).intersect(toPort);
      if (clientPreserved) {
        const clients = PacketSet.where(family, { [Dim.Src]: admitted.project(Dim.Src) as DimSet }).intersect(toPort);
        seen = lb.securityGroups.length > 0 ? clients.union(seen) : clients;
      }
      const bySg = seen.intersect(tp.securityGroupSet);
      if (bySg.isEmpty()) {
        firstClosed('target-security-group');
        continue;
      }
      // Traffic inside one subnet never crosses its network ACL.
      const sameSubnet = !clientPreserved && front.eni.subnetId === ref.path.eni.subnetId;
      const passed = sameSubnet ? bySg : bySg.intersect(tp.aclInAllowed).intersect(tp.replyAllowed);
      if (passed.isEmpty()) {
        firstClosed('target-network-acl');
        continue;
      }
      reaches = true;
      // Where the balancer's own address gets through (a rule naming its group or subnet), every
      // client the front admits does; else only the client addresses the target admits.
      const balancerPasses = passed.intersects(PacketSet.where(family, { [Dim.Src]: lbAddrs as DimSet }));
      const srcs = clientPreserved && !balancerPasses ? I.intersect(passed.project(Dim.Src) as I.IntervalSet<I.Ordinal>, admitted.project(Dim.Src) as I.IntervalSet<I.Ordinal>) : admitted.project(Dim.Src);
      sources[family] = I.union(sources[family] as I.IntervalSet<I.Ordinal>, srcs as I.IntervalSet<I.Ordinal>) as AddrSet;
      seenFrom[family] = I.union(seenFrom[family] as I.IntervalSet<I.Ordinal>, passed.project(Dim.Src) as I.IntervalSet<I.Ordinal>) as AddrSet;
      // The front's hops without its stand-in interface (the target's interface ends the path).
      for (const seg of portSegments([front], (_, f) => (f === family ? admitted : PacketSet.empty(f)))) hops.push(...segmentPath(seg).filter((h) => h.layer !== 'network-interface'));
      for (const m of tp.securityGroups) if (m.set.intersects(passed)) hops.push({ layer: 'security-group', id: m.ref.id, rules: [m.ref] });
      if (!sameSubnet && ref.path.acl) for (const d of tp.aclIn) if (d.decides.intersects(passed)) hops.push({ layer: 'network-acl-inbound', id: d.ref.id, rules: [d.ref] });
      hops.push({ layer: 'network-interface', id: ref.path.eni.id, rules: [{ id: ref.path.eni.id, rule: family, text: `${ref.path.eni.privateIps[0] ?? '?'} port ${port}`, origin: ref.path.eni.origin }] });
    }
  }
  if (!frontOpen) closedBy = frontClosedBy(lb, fronts, listener, proto);
  const rules = forwardingRules(listener, tg);
  return {
    loadBalancer: lb.name,
    loadBalancerArn: lb.arn,
    type: lb.type === 'gateway' ? 'network' : lb.type,
    listener: { protocol: listener.protocol, port: listener.port },
    ...(rules ? { listenerRules: rules } : {}),
    targetGroup: tg.name,
    proto: proto === UDP ? 'udp' : 'tcp',
    targetPort: port,
    health: target.health,
    reachesTarget: reaches,
    closedBy: reaches ? null : closedBy,
    sources: { ipv4: toCidrs(sources.ipv4, 'ipv4'), ipv6: toCidrs(sources.ipv6, 'ipv6') },
    seenFrom: { ipv4: toCidrs(seenFrom.ipv4, 'ipv4'), ipv6: toCidrs(seenFrom.ipv6, 'ipv6') },
    path: mergeHops(hops),
  };
}

/** Which front layer closes the listener: no route to an internet gateway, else the balancer's groups, else its subnet's ACL. */
function frontClosedBy(lb: LoadBalancer, fronts: readonly InterfacePath[], listener: LbListener, proto: number): LoadBalancerClosedBy {
  const any = (pick: (fp: InterfacePath['families'][Family], wanted: PacketSet) => boolean) =>
    fronts.some((f) => FAMILIES.some((fam) => pick(f.families[fam], f.families[fam].internetSpace.intersect(PacketSet.where(fam, { [Dim.Proto]: I.range(proto, proto + 1) as DimSet, [Dim.Dport]: I.range(listener.port, listener.port + 1) as DimSet })))));
  if (!any((_, wanted) => !wanted.isEmpty())) return 'balancer-route';
  if (lb.securityGroups.length > 0 && !any((fp, wanted) => wanted.intersects(fp.securityGroupSet))) return 'balancer-security-group';
  return 'balancer-network-acl';
}

function mergeHops(hops: readonly PathHop[]): PathHop[] {
  const out = new Map<string, PathHop>();
  for (const h of hops) {
    const key = `${h.layer} ${h.id}`;
    const prev = out.get(key);
    if (!prev) out.set(key, { ...h, rules: [...h.rules] });
    else for (const r of h.rules) if (!prev.rules.some((x) => x.id === r.id && x.rule === r.rule)) prev.rules.push(r);
  }
  return [...out.values()];
}

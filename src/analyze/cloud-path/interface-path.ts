/**
 * The cloud path into one network interface, per family, as exact packet sets over
 * (source, protocol, source port, destination port):
 *
 *   internet → route table (reply routed to an igw-) → public address → NACL inbound →
 *   NACL outbound (the reply, to the client's port) → security groups (stateful: no reply check)
 *
 * Sources inside the VPC (the `local` route) reach the private address through the
 * security groups; those in other subnets also cross this subnet's NACL both ways (inbound,
 * and the reply to the client's port), while traffic within the subnet never crosses it.
 * The source subnet's own ACL is not applied (the more exposed reading).
 *
 * @module
 */
import type { AddrSet, Family } from '../../model/addr.js';
import type { NetworkAcl, NetworkInterface, RouteTable } from '../../model/aws-network.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import type { NetworkIndex } from './network-index.js';
import { type RouteDecision, routeDecisions, sourcesOf } from './routes.js';
import { type AclDecision, type RuleMatch, TCP, UDP, aclDecisions, securityGroupMatches } from './rule-sets.js';

export interface CloudPathOptions {
  /** Source ports remote clients use (the reply goes there): 1024-65535 by default, the widest the issue lists (NAT gateway/ELB). */
  clientPorts: { from: number; to: number };
}

export const DEFAULT_CLIENT_PORTS = { from: 1024, to: 65535 };

export interface FamilyPath {
  family: Family;
  publicAddress: boolean;
  routes: RouteDecision[];
  /** The interface's group rules and their union (computed on first use for IPv6 without an address). */
  readonly securityGroups: RuleMatch[];
  aclIn: AclDecision[];
  aclOut: AclDecision[];
  /** Flows from internet-routed sources to the public address, before any filter (empty without a public address). */
  internetSpace: PacketSet;
  readonly securityGroupSet: PacketSet;
  aclInAllowed: PacketSet;
  /** Flows whose reply the outbound ACL lets out (non-TCP/UDP flows are not checked: read as let out). */
  replyAllowed: PacketSet;
  admittedInternet: PacketSet;
  /** Everything that reaches the interface: internet, the VPC and private routes (peering, VPN, transit). Computed on first use (joins only). */
  readonly admittedAll: PacketSet;
  /** Admitted inbound from the internet, the reply to every client port dropped by the outbound ACL (source port: any). */
  returnBlocked: PacketSet;
}

export interface InterfacePath {
  eni: NetworkInterface;
  acl: NetworkAcl | null;
  table: RouteTable | null;
  families: Record<Family, FamilyPath>;
}

const PORTED = I.union(I.range(TCP, TCP + 1), I.range(UDP, UDP + 1)) as DimSet;

export function interfacePath(index: NetworkIndex, eni: NetworkInterface, options: CloudPathOptions, notes: Set<string>): InterfacePath {
  const acl = index.aclOf(eni.subnetId, eni.vpcId);
  const table = index.routeTableOf(eni.subnetId, eni.vpcId);
  if (!acl) notes.add(`no network ACL for subnet ${eni.subnetId} in the export: read as allowing everything both ways`);
  if (!table) notes.add(`no route table for subnet ${eni.subnetId} in the export: every source read as routed through an internet gateway`);
  const routes = table ? index.cached(`routes ${table.id}`, () => routeDecisions(table)) : [];
  const families = {} as Record<Family, FamilyPath>;
  for (const family of ['ipv4', 'ipv6'] as const) families[family] = familyPath(index, eni, family, acl, table, routes, options, notes);
  return { eni, acl, table, families };
}

function familyPath(index: NetworkIndex, eni: NetworkInterface, family: Family, acl: NetworkAcl | null, table: RouteTable | null, routes: RouteDecision[], options: CloudPathOptions, notes: Set<string>): FamilyPath {
  const all = PacketSet.all(family);
  const publicAddress = family === 'ipv4' ? eni.publicIps.length > 0 : eni.ipv6.length > 0;
  const src = (set: AddrSet) => PacketSet.where(family, { [Dim.Src]: set as DimSet });
  // Everything below depends on the interface only through its subnet's ACL and table, its
  // group set and whether it has a public address: computed once per such combination.
  const unported = index.cached(`unported ${family}`, () => PacketSet.where(family, { [Dim.Proto]: I.complement(PORTED, { min: 0, max: 256 }) as DimSet }));
  const clientPorts = index.cached(`client ports ${family} ${options.clientPorts.from}-${options.clientPorts.to}`, () =>
    PacketSet.where(family, { [Dim.Proto]: PORTED, [Dim.Sport]: I.range(options.clientPorts.from, options.clientPorts.to + 1) as DimSet }).union(unported),
  );
  const tableKey = table?.id ?? '-';
  const internetSpace = !publicAddress
    ? PacketSet.empty(family)
    : index.cached(`internet ${tableKey} ${family} ${options.clientPorts.from}-${options.clientPorts.to}`, () => src(table ? sourcesOf(routes, family, 'igw') : (all.project(Dim.Src) as AddrSet)).intersect(clientPorts));

  const groupKey = `${eni.vpcId} ${family} ${eni.groupIds.join(',')}`;
  const groupsOf = () => index.cached(`sg set ${groupKey}`, () => {
    const n = new Set<string>();
    const matches = eni.groupIds.flatMap((g) => {
      const got = index.cached(`sg ${g} ${family} ${eni.vpcId}`, () => {
        const own = new Set<string>();
        return { matches: securityGroupMatches(index, [g], family, eni.vpcId, own), notes: [...own] };
      });
      for (const x of got.notes) n.add(x);
      return got.matches;
    });
    // Overlapping cubes are fine in a union; merging them all would cost more than it saves.
    return { matches, set: PacketSet.fromCubes(family, matches.flatMap((m) => m.set.cubes)), notes: [...n] };
  });
  // IPv4 always (its notes stand for both families: only CIDR peers differ by family, and
  // they note nothing); IPv6 only when something asks, which is rare without an IPv6 address.
  if (family === 'ipv4' || publicAddress) for (const n of groupsOf().notes) notes.add(n);

  const inbound = acl ? index.cached(`acl ${acl.id} ${family} in`, () => aclDecisions(acl.entries, family, false)) : { decisions: [], allowed: all };
  const outbound = acl ? index.cached(`acl ${acl.id} ${family} out`, () => aclDecisions(acl.entries, family, true)) : { decisions: [], allowed: all };
  const replyAllowed = acl ? index.cached(`acl ${acl.id} ${family} reply`, () => outbound.allowed.union(unported)) : all;

  const { admittedInternet, returnBlocked } = internetSpace.isEmpty()
    ? { admittedInternet: internetSpace, returnBlocked: internetSpace }
    : index.cached(`path ${acl?.id ?? '-'} ${tableKey} ${groupKey} ${options.clientPorts.from}-${options.clientPorts.to}`, () => {
        const passed = internetSpace.intersect(inbound.allowed).intersect(groupsOf().set);
        const admitted = passed.isEmpty() ? passed : passed.intersect(replyAllowed);
        // Blocked only when no client port gets its reply out: some clients may still connect.
        const anyPort = (set: PacketSet) => set.rewrite(Dim.Sport, all.project(Dim.Sport));
        return { admittedInternet: admitted, returnBlocked: passed.isEmpty() ? passed : anyPort(passed).difference(anyPort(admitted)) };
      });

  let everything: PacketSet | undefined;
  const admittedAll = () => {
    if (everything) return everything;
    const securityGroupSet = groupsOf().set;
    const localSources = table ? sourcesOf(routes, family, 'local') : index.vpcSpace(eni.vpcId)[family];
    // A subnet missing from the export: every VPC source read as inside it (no ACL crossed).
    const own = index.subnetSpace(eni.subnetId)?.[family] ?? localSources;
    const sameSubnet = I.intersect(localSources as I.IntervalSet<I.Ordinal>, own as I.IntervalSet<I.Ordinal>) as AddrSet;
    const otherSubnets = I.difference(localSources as I.IntervalSet<I.Ordinal>, own as I.IntervalSet<I.Ordinal>) as AddrSet;
    const local = src(sameSubnet)
      .intersect(securityGroupSet)
      .union(src(otherSubnets).intersect(clientPorts).intersect(securityGroupSet).intersect(inbound.allowed).intersect(replyAllowed));
    const privateRouted = src(sourcesOf(routes, family, 'private')).intersect(clientPorts).intersect(securityGroupSet).intersect(inbound.allowed).intersect(replyAllowed);
    return (everything = admittedInternet.union(local).union(privateRouted));
  };
  return {
    family,
    publicAddress,
    routes,
    get securityGroups() {
      return groupsOf().matches;
    },
    aclIn: inbound.decisions,
    aclOut: outbound.decisions,
    internetSpace,
    get securityGroupSet() {
      return groupsOf().set;
    },
    aclInAllowed: inbound.allowed,
    replyAllowed,
    admittedInternet,
    get admittedAll() {
      return admittedAll();
    },
    returnBlocked,
  };
}

/**
 * Security group rules and network ACL entries as exact packet sets over (source, protocol,
 * source port, destination port). AWS semantics: IpProtocol -1 and protocols other than
 * TCP, UDP, ICMP and ICMPv6 cover all ports; ICMP FromPort/ToPort are type and code (-1:
 * any), encoded as the engine encodes them (`type << 8 | code` in the port dimension).
 *
 * @module
 */
import { type AddrSet, type Family, cidrSet, parseCidr } from '../../model/addr.js';
import type { AwsProtocol, NaclEntry, SgRule } from '../../model/aws-network.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet, portSet } from '../../model/packet-set.js';
import { protocolName } from '../../model/protocols.js';
import type { NetworkIndex } from './network-index.js';
import { fullAddrs } from './network-index.js';
import type { CloudRuleRef } from './types.js';

export const TCP = 6;
export const UDP = 17;
export const ICMP: Record<Family, number> = { ipv4: 1, ipv6: 58 };

export interface RuleMatch {
  ref: CloudRuleRef;
  set: PacketSet;
  /** null for a group absent from the export. */
  rule?: SgRule;
}

/** The rule as the AWS CLI's `--ip-permissions` JSON, with its one peer. */
export function ipPermissionJson(rule: SgRule): string {
  const p: Record<string, unknown> = { IpProtocol: rule.protocol === 'all' ? '-1' : protocolName(rule.protocol) === String(rule.protocol) ? String(rule.protocol) : rule.protocol === 58 ? 'icmpv6' : protocolName(rule.protocol) };
  if (rule.fromPort !== null) p['FromPort'] = rule.fromPort;
  if (rule.toPort !== null) p['ToPort'] = rule.toPort;
  const peer = rule.peer;
  if (peer.kind === 'cidr') p[peer.family === 'ipv4' ? 'IpRanges' : 'Ipv6Ranges'] = [{ [peer.family === 'ipv4' ? 'CidrIp' : 'CidrIpv6']: peer.cidr }];
  else if (peer.kind === 'prefix-list') p['PrefixListIds'] = [{ PrefixListId: peer.id }];
  else p['UserIdGroupPairs'] = [{ GroupId: peer.groupId }];
  return JSON.stringify([p]);
}

/** PacketSet.where with some constraints possibly absent (absent = any). */
function cube(family: Family, constraints: [Dim, DimSet | undefined][]): PacketSet {
  const c: Partial<Record<Dim, DimSet>> = {};
  for (const [d, v] of constraints) if (v !== undefined) c[d] = v;
  return PacketSet.where(family, c);
}

function protoDim(p: AwsProtocol): DimSet | undefined {
  return p === 'all' ? undefined : (I.range(p, p + 1) as DimSet);
}

/** The destination-port dimension of a rule: ports for TCP/UDP, type/code for ICMP, all otherwise. */
function portDim(p: AwsProtocol, family: Family, from: number | null, to: number | null): DimSet | undefined {
  if (p === TCP || p === UDP) {
    if (from === null || to === null || from === -1) return undefined;
    return portSet(from, to) as DimSet;
  }
  if (p === ICMP[family]) {
    if (from === null || from === -1) return undefined;
    if (to === null || to === -1) return I.range(from << 8, (from + 1) << 8) as DimSet;
    return I.range((from << 8) | to, ((from << 8) | to) + 1) as DimSet;
  }
  return undefined;
}

export function protocolText(p: AwsProtocol): string {
  return p === 'all' ? 'all traffic' : protocolName(p);
}

function portText(p: AwsProtocol, from: number | null, to: number | null): string {
  if (p === 'all' || from === null || from === -1) return '';
  if (p === TCP || p === UDP) return from === to ? ` ${from}` : ` ${from}-${to}`;
  return ` type ${from}${to !== null && to !== -1 ? ` code ${to}` : ''}`;
}

/** Ingress rules of the groups, per family, with what each admits; assumptions named in `notes`. */
export function securityGroupMatches(index: NetworkIndex, groupIds: readonly string[], family: Family, vpcId: string, notes: Set<string>): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const gid of groupIds) {
    const group = index.groups.get(gid);
    if (!group) {
      notes.add(`security group ${gid} is attached but not in the export: its rules are unknown, read as admitting everything from anywhere`);
      out.push({ ref: { id: gid, rule: 'unknown rules', text: 'group absent from the export (assumed to allow all)' }, set: PacketSet.all(family) });
      continue;
    }
    let n = 0;
    for (const rule of group.rules) {
      if (rule.direction !== 'ingress') continue;
      n++;
      const src = peerSources(index, rule, family, vpcId, notes);
      if (src === null || src.length === 0) continue;
      const set = cube(family, [[Dim.Src, src as DimSet], [Dim.Proto, protoDim(rule.protocol)], [Dim.Dport, portDim(rule.protocol, family, rule.fromPort, rule.toPort)]]);
      if (set.isEmpty()) continue;
      out.push({ ref: { id: gid, rule: `ingress rule ${n}`, text: `allow ${protocolText(rule.protocol)}${portText(rule.protocol, rule.fromPort, rule.toPort)} from ${peerText(rule)}`, origin: rule.origin, ipPermission: ipPermissionJson(rule) }, set, rule });
    }
  }
  return out;
}

function peerText(rule: SgRule): string {
  const p = rule.peer;
  return p.kind === 'cidr' ? p.cidr : p.kind === 'prefix-list' ? p.id : `members of ${p.groupId}`;
}

function peerSources(index: NetworkIndex, rule: SgRule, family: Family, vpcId: string, notes: Set<string>): AddrSet | null {
  const p = rule.peer;
  if (p.kind === 'cidr') {
    if (p.family !== family) return null;
    const text = p.cidr;
    return index.cached(`cidr ${text}`, () => {
      const c = parseCidr(text);
      return c ? cidrSet(c) : null;
    });
  }
  if (p.kind === 'prefix-list') {
    const entries = index.prefixList(p.id);
    if (entries) return entries[family];
    notes.add(`prefix list ${p.id} (in ${rule.groupId}) has no exported entries (get-managed-prefix-list-entries-${p.id}.json): read as every address`);
    return fullAddrs(family);
  }
  // A group reference means its members: private addresses, never the internet.
  const members = index.members(p.groupId);
  if (members) return members[family];
  notes.add(`members of ${p.groupId} (referenced by ${rule.groupId}) are not known${p.userId ? ` (account ${p.userId})` : ''}: read as the whole VPC ${vpcId}`);
  return index.vpcSpace(vpcId)[family];
}

/** Entries of one direction and family, in rule-number order, each with the packets it decides (first match wins). */
export interface AclDecision {
  entry: NaclEntry;
  ref: CloudRuleRef;
  /** The packets this entry decides (in inbound coordinates for outbound entries: see {@link aclDecisions}). */
  decides: PacketSet;
}

/**
 * First-match evaluation of a network ACL direction. Outbound entries are mirrored into the
 * inbound flow's coordinates: the reply of a flow (source S, source port c, destination port
 * d) goes to S at port c, so an outbound entry's CIDR and PortRange constrain the inbound
 * flow's source and source port.
 */
export function aclDecisions(entries: readonly NaclEntry[], family: Family, egress: boolean): { decisions: AclDecision[]; allowed: PacketSet } {
  const list = entries.filter((e) => e.egress === egress && e.family === family).sort((a, b) => a.ruleNumber - b.ruleNumber);
  const allowedCubes: PacketSet['cubes'][number][] = [];
  const decisions: AclDecision[] = [];
  const earlier: PacketSet[] = [];
  for (const e of list) {
    const c = parseCidr(e.cidr);
    if (!c) continue;
    const ports = e.protocol === TCP || e.protocol === UDP ? (e.ports ? (portSet(e.ports.from, e.ports.to) as DimSet) : undefined) : e.protocol === ICMP[family] && e.icmp ? portDim(e.protocol, family, e.icmp.type, e.icmp.code) : undefined;
    // The reply's protocol is the flow's; its ports are the flow's swapped.
    const match = cube(family, [[Dim.Src, cidrSet(c) as DimSet], [Dim.Proto, protoDim(e.protocol)], [egress ? Dim.Sport : Dim.Dport, ports]]);
    // What this entry decides: its match minus every earlier entry's (each one cube: cheap, and no merging needed).
    let decides = match;
    for (const prev of earlier) {
      if (!decides.intersects(prev)) continue; // most earlier entries are about other ports: nothing to take away
      decides = decides.difference(prev, { merge: false });
      if (decides.isEmpty()) break;
    }
    earlier.push(match);
    const rule = e.ruleNumber === 32767 ? 'rule *' : `${egress ? 'outbound' : 'inbound'} rule ${e.ruleNumber}`;
    const portsText = e.ports && (e.protocol === TCP || e.protocol === UDP) ? ` ${e.ports.from === e.ports.to ? e.ports.from : `${e.ports.from}-${e.ports.to}`}` : '';
    const ref: CloudRuleRef = { id: e.aclId, rule, text: `${e.action} ${protocolText(e.protocol)}${portsText} ${egress ? 'to' : 'from'} ${e.cidr}`, origin: e.origin };
    if (!decides.isEmpty()) {
      decisions.push({ entry: e, ref, decides });
      if (e.action === 'allow') allowedCubes.push(...decides.cubes);
    }
    if (match.isAll()) break;
  }
  // First-match pieces are disjoint: their union needs no merging.
  return { decisions, allowed: PacketSet.fromCubes(family, allowedCubes) };
}

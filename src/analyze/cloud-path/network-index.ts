/**
 * Lookups over an {@link AwsNetwork}: which ACL and route table a subnet uses, who is a
 * member of a security group, what a prefix list holds. Anything the export does not say
 * is answered the more exposed way and recorded as an assumption.
 *
 * @module
 */
import { type AddrSet, type Family, addrPointSet, cidrSet, parseAddr, parseCidr } from '../../model/addr.js';
import type { AwsNetwork, NetworkAcl, NetworkInterface, RouteTable, SecurityGroup } from '../../model/aws-network.js';
import * as I from '../../model/interval-set.js';
import { Dim, PacketSet } from '../../model/packet-set.js';
import { addToList } from '../../model/list-map.js';

export class NetworkIndex {
  readonly groups: Map<string, SecurityGroup>;
  readonly interfaces: Map<string, NetworkInterface>;
  private readonly aclBySubnet = new Map<string, NetworkAcl>();
  private readonly defaultAcl = new Map<string, NetworkAcl>();
  private readonly tableBySubnet = new Map<string, RouteTable>();
  private readonly mainTable = new Map<string, RouteTable>();
  private readonly memberCache = new Map<string, Record<Family, AddrSet> | null>();
  private byGroup: Map<string, NetworkInterface[]> | undefined;
  /** Per-ACL and per-group results shared by every interface that uses them. */
  readonly memo = new Map<string, unknown>();

  /** `compute()` once per key. */
  cached<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  constructor(
    readonly net: AwsNetwork,
    /** Whether describe-network-interfaces was exported: only then are group members known in full. */
    readonly interfacesComplete: boolean,
  ) {
    this.groups = new Map(net.securityGroups.map((g) => [g.id, g]));
    this.interfaces = new Map(net.interfaces.map((e) => [e.id, e]));
    for (const acl of net.networkAcls) {
      for (const s of acl.subnetIds) this.aclBySubnet.set(s, acl);
      if (acl.isDefault) this.defaultAcl.set(acl.vpcId, acl);
    }
    for (const t of net.routeTables) {
      for (const s of t.subnetIds) this.tableBySubnet.set(s, t);
      if (t.main) this.mainTable.set(t.vpcId, t);
    }
  }

  /** A subnet's ACL: its association, else the VPC's default ACL (AWS associates every subnet with one). */
  aclOf(subnetId: string, vpcId: string): NetworkAcl | null {
    return this.aclBySubnet.get(subnetId) ?? this.defaultAcl.get(vpcId) ?? null;
  }

  /** A subnet's explicit route table, else the VPC's main table. */
  routeTableOf(subnetId: string, vpcId: string): RouteTable | null {
    return this.tableBySubnet.get(subnetId) ?? this.mainTable.get(vpcId) ?? null;
  }

  /** The VPC's own address space (its subnets' CIDRs and its tables' local routes). */
  vpcSpace(vpcId: string): Record<Family, AddrSet> {
    const out = emptyAddrs();
    const add = (text: string) => {
      const c = parseCidr(text);
      if (c) out[c.family] = I.union(out[c.family] as I.IntervalSet<I.Ordinal>, cidrSet(c) as I.IntervalSet<I.Ordinal>) as AddrSet;
    };
    for (const s of this.net.subnets) if (s.vpcId === vpcId) s.cidrs.forEach(add);
    for (const t of this.net.routeTables) {
      if (t.vpcId !== vpcId) continue;
      for (const r of t.routes) if (r.target === 'local' && r.destination.kind === 'cidr') add(r.destination.cidr);
    }
    return out;
  }

  /** A subnet's own blocks; null when the subnet is not in the export. */
  subnetSpace(subnetId: string): Record<Family, AddrSet> | null {
    return this.cached(`subnet space ${subnetId}`, () => {
      const subnet = this.net.subnets.find((s) => s.id === subnetId);
      if (!subnet) return null;
      const out = emptyAddrs();
      for (const text of subnet.cidrs) {
        const c = parseCidr(text);
        if (c) out[c.family] = I.union(out[c.family] as I.IntervalSet<I.Ordinal>, cidrSet(c) as I.IntervalSet<I.Ordinal>) as AddrSet;
      }
      return out;
    });
  }

  /** Private and IPv6 addresses of the group's members; null when the members are not known. */
  members(groupId: string): Record<Family, AddrSet> | null {
    if (this.memberCache.has(groupId)) return this.memberCache.get(groupId)!;
    let out: Record<Family, AddrSet> | null = null;
    if (!this.byGroup) {
      this.byGroup = new Map();
      for (const e of this.net.interfaces) for (const g of e.groupIds) addToList(this.byGroup, g, e);
    }
    const members = this.byGroup.get(groupId) ?? [];
    if (this.groups.has(groupId) && this.interfacesComplete && members.every((e) => e.addressesKnown !== false)) {
      out = emptyAddrs();
      for (const e of members) {
        for (const a of [...e.privateIps, ...e.ipv6]) {
          const p = parseAddr(a);
          if (p) out[p.family] = I.union(out[p.family] as I.IntervalSet<I.Ordinal>, addrPointSet(p) as I.IntervalSet<I.Ordinal>) as AddrSet;
        }
      }
    }
    this.memberCache.set(groupId, out);
    return out;
  }

  /** A prefix list's entries per family; null when the entries were not exported. */
  prefixList(id: string): Record<Family, AddrSet> | null {
    return this.cached(`pl ${id}`, () => this.prefixListUncached(id));
  }

  private prefixListUncached(id: string): Record<Family, AddrSet> | null {
    const pl = this.net.prefixLists.find((p) => p.id === id);
    if (!pl?.entries) return null;
    const out = emptyAddrs();
    for (const text of pl.entries) {
      const c = parseCidr(text);
      if (c) out[c.family] = I.union(out[c.family] as I.IntervalSet<I.Ordinal>, cidrSet(c) as I.IntervalSet<I.Ordinal>) as AddrSet;
    }
    return out;
  }
}

export function emptyAddrs(): Record<Family, AddrSet> {
  return { ipv4: I.emptySet<number>(), ipv6: I.emptySet<bigint>() };
}

export function fullAddrs(family: Family): AddrSet {
  return PacketSet.all(family).project(Dim.Src) as AddrSet;
}

/**
 * Which remote sources a subnet's route table sends replies back through which kind of
 * target, by longest prefix match (exact, on address intervals): a connection from the
 * internet opens only if the reply to its source is routed to an internet gateway.
 *
 * @module
 */
import { type AddrSet, type Family, cidrSet, parseCidr } from '../../model/addr.js';
import type { RouteTable } from '../../model/aws-network.js';
import * as I from '../../model/interval-set.js';
import { emptyAddrs } from './network-index.js';
import type { CloudRuleRef } from './types.js';

/** igw: internet; local: inside the VPC; private: peering, transit, VPN, appliance; none: no way back in. */
export type RouteClass = 'igw' | 'local' | 'private' | 'none';

export interface RouteDecision {
  class: RouteClass;
  target: string;
  ref: CloudRuleRef;
  /** The sources this route wins for (after longer prefixes took theirs). */
  sources: AddrSet;
  family: Family;
}

export function routeClass(target: string, state: 'active' | 'blackhole'): RouteClass {
  if (state === 'blackhole') return 'none';
  if (target === 'local') return 'local';
  // Ids as the API prints them, or the resource address of a Terraform plan that does not know the id yet.
  if (/^igw-|(^|\.)aws_internet_gateway\./.test(target)) return 'igw';
  // An egress-only gateway, a NAT gateway or an endpoint admits no connection from outside.
  if (/^(eigw|nat|vpce)-|(^|\.)aws_(egress_only_internet_gateway|nat_gateway|vpc_endpoint)\./.test(target)) return 'none';
  return 'private';
}

/** Longest-prefix-match partition of each family's address space among the table's routes. */
export function routeDecisions(table: RouteTable): RouteDecision[] {
  const routes = table.routes
    .flatMap((r) => {
      if (r.destination.kind !== 'cidr') return []; // prefix-list routes lead to endpoints: never to the internet
      const c = parseCidr(r.destination.cidr);
      return c ? [{ r, c, text: r.destination.cidr }] : [];
    })
    .sort((a, b) => b.c.prefixLength - a.c.prefixLength);
  const taken = emptyAddrs();
  const out: RouteDecision[] = [];
  for (const { r, c, text } of routes) {
    const set = cidrSet(c) as I.IntervalSet<I.Ordinal>;
    const wins = I.difference(set, taken[c.family] as I.IntervalSet<I.Ordinal>) as AddrSet;
    taken[c.family] = I.union(taken[c.family] as I.IntervalSet<I.Ordinal>, set) as AddrSet;
    if (wins.length === 0) continue;
    out.push({ class: routeClass(r.target, r.state), target: r.target, family: c.family, sources: wins, ref: { id: table.id, rule: `route ${text}`, text: `${text} → ${r.target}${r.state === 'blackhole' ? ' (blackhole)' : ''}`, origin: r.origin } });
  }
  return out;
}

export function sourcesOf(decisions: readonly RouteDecision[], family: Family, cls: RouteClass): AddrSet {
  let acc = I.emptySet<I.Ordinal>();
  for (const d of decisions) if (d.family === family && d.class === cls) acc = I.union(acc, d.sources as I.IntervalSet<I.Ordinal>);
  return acc as AddrSet;
}

/**
 * Where remote sources arrive: for each class of local destination addresses and each
 * interface, the sources whose reply route leaves by that interface. The union of these
 * cubes {dst ∈ D, src ∈ S_iface, iif = iface} is the exact set of first packets that can
 * open a connection; sources with no way back (unreachable, blackhole, prohibit, no route)
 * are in none of them.
 *
 * @module
 */
import { type Family, parseAddr, addrPointSet } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import type { DimSet } from '../../model/packet-set.js';
import type { RoutingState } from '../../model/routing.js';
import type { NetInterface } from '../../model/snapshot.js';
import { ANY_IFACE, type ReplyRoutes, allPeers, fromClassKey, replyRoutes } from './reply-route.js';

export interface ArrivalCube {
  /** Local destination addresses (one class: the same policy rules apply to all). */
  dst: DimSet;
  src: DimSet;
  /** The part of `src` routed without a gateway: hosts on the link itself. */
  onLink: DimSet;
  /** Interface name, or "*" when a route does not name one. */
  iface: string;
}

export interface ArrivalFacts {
  routing: RoutingState;
  /** Per family; null when that family's routes could not be read (any interface then). */
  cubes: Record<Family, ArrivalCube[] | null>;
  /** Interfaces where IPv4 reverse-path filtering is off or loose, or unknown. */
  looseRpFilter: string[];
  /** Interface names that are not loopback. */
  remoteInterfaces: string[];
  /** The interface holding each IPv6 link-local address of the host (text of the address value). */
  linkLocalOwner: Map<bigint, string>;
}

/** Per-interface IPv4 rp_filter: the kernel uses the larger of `all` and the interface's value. */
function looseInterfaces(names: readonly string[], rpFilter: (iface: string) => string | null): string[] {
  const value = (name: string): number | null => {
    const v = rpFilter(name);
    return v === null || !/^\d+$/.test(v.trim()) ? null : Number(v);
  };
  const all = value('all');
  return names.filter((n) => {
    const own = value(n);
    // Unknown on both sides: read as not strict (a note too many, never one too few).
    if (all === null && own === null) return true;
    return Math.max(all ?? 0, own ?? 0) !== 1;
  });
}

function cubesOf(routing: RoutingState, family: Family, interfaces: readonly NetInterface[]): ArrivalCube[] | null {
  const state = routing[family];
  if (!state) return null;
  const classes = new Map<string, { dst: I.IntervalSet<I.Ordinal>; sample: bigint | number; only: string | null }>();
  for (const iface of interfaces) {
    if (iface.loopback) continue;
    for (const a of iface.addresses) {
      const parsed = a.family === family ? parseAddr(a.address) : null;
      if (!parsed) continue;
      // An IPv6 link-local address is reachable only on its own link (RFC 4007 zones).
      const only = family === 'ipv6' && isIpv6LinkLocal(parsed.value as bigint) ? iface.name : null;
      const key = `${fromClassKey(state, parsed.value)}@${only ?? ''}`;
      const c = classes.get(key);
      const point = addrPointSet(parsed) as I.IntervalSet<I.Ordinal>;
      if (c) c.dst = I.union(c.dst, point);
      else classes.set(key, { dst: point, sample: parsed.value, only });
    }
  }
  const cubes: ArrivalCube[] = [];
  for (const c of classes.values()) {
    const routes = replyRoutes(state, family, c.sample, allPeers(family));
    cubes.push(...onlyOn(cubesFrom(routes, c.dst as DimSet), c.only));
  }
  return cubes;
}

const FE80 = 0xfe80n << 112n;
const FE80_MASK = 0xffc0n << 112n;

function isIpv6LinkLocal(value: bigint): boolean {
  return (value & FE80_MASK) === FE80;
}

/** Keeps the cubes of one interface (a link-local destination's own), or all when null. */
export function onlyOn(cubes: ArrivalCube[], iface: string | null): ArrivalCube[] {
  return iface === null ? cubes : cubes.filter((c) => c.iface === iface || c.iface === ANY_IFACE).map((c) => ({ ...c, iface }));
}

/** The cubes of one routing answer for destinations `dst`. */
export function cubesFrom(routes: ReplyRoutes, dst: DimSet): ArrivalCube[] {
  return [...routes.byIface].map(([iface, peers]) => ({ dst, src: peers as DimSet, onLink: (routes.onLink.get(iface) ?? []) as DimSet, iface }));
}

/** Null when the snapshot has no routing state (collected by an older Portcullis). */
export function arrivalFacts(routing: RoutingState | undefined, interfaces: readonly NetInterface[] | null, rpFilter: (iface: string) => string | null): ArrivalFacts | null {
  if (!routing || !interfaces) return null;
  const remoteInterfaces = interfaces.filter((i) => !i.loopback).map((i) => i.name);
  return {
    routing,
    cubes: { ipv4: cubesOf(routing, 'ipv4', interfaces), ipv6: cubesOf(routing, 'ipv6', interfaces) },
    looseRpFilter: looseInterfaces(remoteInterfaces, rpFilter),
    remoteInterfaces,
    linkLocalOwner: linkLocalOwners(interfaces),
  };
}

function linkLocalOwners(interfaces: readonly NetInterface[]): Map<bigint, string> {
  const out = new Map<bigint, string>();
  for (const i of interfaces) {
    for (const a of i.addresses) {
      const p = a.family === 'ipv6' && !i.loopback ? parseAddr(a.address) : null;
      if (p && isIpv6LinkLocal(p.value as bigint)) out.set(p.value as bigint, i.name);
    }
  }
  return out;
}


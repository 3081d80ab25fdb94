/**
 * Per service, the input interfaces that admit it and the sources routed through each: what
 * the audit shows so that a port open only on the management interface reads as such.
 *
 * @module
 */
import { type Family, toCidrsLimited } from '../model/addr.js';
import { Dim, type DimSet, type PacketSet, ifaceSet } from '../model/packet-set.js';
import type { ArrivalCube } from './engine/arrival-routes.js';
import { ANY_IFACE } from './engine/reply-route.js';
import type { InterfaceReach } from './types.js';

const LISTED_PREFIXES = 32;

/** Adds one family's admitted packets to the per-interface lists (sorted by name). */
export function addInterfaceReach(list: InterfaceReach[], reached: PacketSet, cubes: readonly ArrivalCube[]): InterfaceReach[] {
  const family: Family = reached.family;
  for (const { name, iif } of interfacesOf(cubes)) {
    // "*" (a route without a device) stands for any interface: what no named interface took.
    const part = name === ANY_IFACE ? reached.difference(reached.restrict(Dim.Iif, iif)) : reached.restrict(Dim.Iif, iif);
    if (part.isEmpty()) continue;
    const { cidrs, omittedRanges } = toCidrsLimited(part.project(Dim.Src) as never, family, LISTED_PREFIXES);
    let entry = list.find((e) => e.name === name);
    if (!entry) list.push((entry = { name, sources: { ipv4: [], ipv6: [] } }));
    entry.sources[family] = cidrs;
    if (omittedRanges > 0) entry.omitted = { ipv4: 0, ipv6: 0, ...entry.omitted, [family]: omittedRanges };
  }
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The interfaces of a family's arrival cubes, sorted, each with the input-interface set it
 * restricts to (for "*", the named ones, whose packets it excludes). The same cubes serve
 * every service of the family: worked out once, not once per service.
 */
const interfaceLists = new WeakMap<readonly ArrivalCube[], { name: string; iif: DimSet }[]>();

function interfacesOf(cubes: readonly ArrivalCube[]): { name: string; iif: DimSet }[] {
  let known = interfaceLists.get(cubes);
  if (!known) {
    const names = [...new Set(cubes.map((c) => c.iface))].sort();
    const named = ifaceSet(names.filter((n) => n !== ANY_IFACE));
    known = names.map((name) => ({ name, iif: name === ANY_IFACE ? named : ifaceSet([name]) }));
    interfaceLists.set(cubes, known);
  }
  return known;
}

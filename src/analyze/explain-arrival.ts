/**
 * `explain --from S`: the interface S arrives on, from the route back to it, in words
 * ("arrives on eth1: route 10.20.0.0/16 dev eth1"), and what reverse-path filtering leaves
 * open to a spoofed one-way UDP packet.
 *
 * @module
 */
import { type Family, type ParsedAddr, addrPointSet } from '../model/addr.js';
import type { DimSet } from '../model/packet-set.js';
import { type ArrivalCube, cubesFrom, onlyOn } from './engine/arrival-routes.js';
import { ANY_IFACE, replyRoutes } from './engine/reply-route.js';
import type { ReachInput } from './reach.js';

export interface FlowArrival {
  /** The cubes to build the arrival set from; null when the routes are not known. */
  routes: ArrivalCube[] | null;
  /** Interfaces and the route that sends replies through each (empty: no way back). */
  steps: { iface: string; route: string }[];
  notes: string[];
}

export function flowArrival(input: ReachInput, family: Family, from: ParsedAddr, fromText: string, to: ParsedAddr, toLocal: boolean, udp: boolean): FlowArrival {
  const state = input.arrival?.routing[family];
  if (!input.arrival || !state) {
    return { routes: null, steps: [], notes: ['arrival interface not known (the snapshot has no routing table): any interface is assumed'] };
  }
  const routed = replyRoutes(state, family, to.value, addrPointSet(from), !toLocal);
  // A link-local address of the host is reached only on its own link.
  const owner = family === 'ipv6' ? (input.arrival.linkLocalOwner.get(to.value as bigint) ?? null) : null;
  const routes = onlyOn(cubesFrom(routed, addrPointSet(to) as DimSet), owner);
  const steps: FlowArrival['steps'] = [];
  for (const s of routed.steps) {
    if (s.iface === '' || (owner !== null && s.iface !== owner && s.iface !== ANY_IFACE)) continue;
    if (steps.some((x) => x.iface === s.iface && x.route === s.because)) continue;
    steps.push({ iface: s.iface === ANY_IFACE ? 'any interface' : s.iface, route: s.because });
  }
  const notes: string[] = [];
  if (steps.length === 0) {
    const why = routed.steps.find((s) => s.iface === '')?.because ?? 'no route';
    notes.push(`no route back to ${fromText} (${why}): it cannot open a connection; a packet from it may arrive, but no reply leaves`);
    return { routes, steps, notes };
  }
  for (const s of steps) notes.push(`arrives on ${s.iface}: ${s.route}`);
  if (steps.length > 1) notes.push(`the route back has several paths (ECMP or a rule that depends on a mark): it may arrive on any of ${[...new Set(steps.map((s) => s.iface))].join(', ')}`);
  if (udp) {
    const arrivals = new Set(steps.map((s) => s.iface));
    const others = (family === 'ipv4' ? input.arrival.looseRpFilter : input.arrival.remoteInterfaces).filter((n) => !arrivals.has(n));
    if (others.length > 0) {
      const why = family === 'ipv4' ? 'rp_filter is off or loose there' : 'IPv6 has no reverse-path filter in the kernel';
      notes.push(`a spoofed one-way UDP packet from ${fromText} could also enter on ${others.join(', ')} (${why}); no reply would reach ${fromText}, so that is not counted as a connection`);
    }
  }
  return { routes, steps, notes };
}

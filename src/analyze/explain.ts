/**
 * One flow, one answer, in nmap's words: open (admitted and something listens), closed
 * (admitted, nothing listens: the kernel answers RST or port unreachable), filtered
 * (dropped or rejected by the firewall), with the trace of every rule that touched it.
 *
 * A flow leaves the source port and input interface free unless given; when the verdict
 * depends on them, the answer is the most exposed one and a note says what it depends on.
 *
 * @module
 */
import { type Family, addrPointSet, parseAddr, toCidrs } from '../model/addr.js';
import * as I from '../model/interval-set.js';
import { Dim, type DimSet, PacketSet, ifaceSet } from '../model/packet-set.js';
import { TCP, UDP, arrivalSet } from './engine/arrival.js';
import type { WalkEvent } from './engine/evaluate-chain.js';
import { eventRef, limitNotesFor, uncertaintiesFor } from './engine/refs.js';
import { type FlowArrival, flowArrival } from './explain-arrival.js';
import { dnatTargets } from './published.js';
import { type ReachInput, bindingsFor, pathFor, portText } from './reach.js';
import { flagSetText } from './tcp-flag-text.js';
import type { FlowAnswer, FlowQuery, TraceStep } from './types.js';

/** A reason the flow cannot be asked, or null when it is well-formed. */
export function flowProblem(flow: FlowQuery, input: ReachInput): string | null {
  const from = parseAddr(flow.from);
  if (!from) return `"from" is not an IP address: ${JSON.stringify(flow.from)}`;
  if (flow.to !== undefined && flow.to !== '') {
    const to = parseAddr(flow.to);
    if (!to) return `"to" is not an IP address: ${JSON.stringify(flow.to)}`;
    if (to.family !== from.family) return `"from" (${flow.from}) and "to" (${flow.to}) are of different address families`;
  } else if (!input.facts.primary[from.family]) {
    return `no "to" given and the host has no non-loopback ${from.family} address to default to`;
  }
  if (!Number.isInteger(flow.port) || flow.port < 0 || flow.port > 65535) return `"port" must be 0-65535, got ${JSON.stringify(flow.port)}`;
  if (flow.proto !== 'tcp' && flow.proto !== 'udp') return `"proto" must be "tcp" or "udp", got ${JSON.stringify(flow.proto)}`;
  if (flow.sport !== undefined && (!Number.isInteger(flow.sport) || flow.sport < 0 || flow.sport > 65535)) return `"sport" must be 0-65535`;
  return null;
}


export function explainFlow(input: ReachInput, flow: FlowQuery): FlowAnswer {
  const from = parseAddr(flow.from)!;
  const family = from.family;
  const toText = flow.to ? flow.to : input.facts.primary[family]!;
  const to = parseAddr(toText)!;
  const proto = flow.proto === 'tcp' ? TCP : UDP;
  const notes: string[] = [];
  const unreadable = input.firewallUnreadable?.[family];
  if (unreadable) notes.push(`${unreadable}; the answer assumes no ${family === 'ipv4' ? 'IPv4' : 'IPv6'} filtering`);
  const local = input.facts.local[family];
  const fromLocal = local !== null && I.contains(local as I.IntervalSet<I.Ordinal>, from.value);
  const toLocal = local !== null && I.contains(local as I.IntervalSet<I.Ordinal>, to.value);
  let iif: DimSet | undefined;
  let arrivalRoute: FlowArrival | null = null;
  if (flow.iface) iif = ifaceSet([flow.iface]);
  else if (fromLocal) {
    iif = ifaceSet(['lo']);
    notes.push('the source is this host: the packet arrives on lo (output chains are not evaluated)');
  } else {
    // The route back to the source decides its input interface (--iface pins one instead).
    arrivalRoute = flowArrival(input, family, from, flow.from, to, toLocal, flow.proto === 'udp');
    notes.push(...arrivalRoute.notes);
  }
  const loopbackDst = family === 'ipv4' ? (to.value as number) >>> 24 === 127 : to.value === 1n;
  const base: Omit<FlowAnswer, 'state' | 'firewall' | 'listener' | 'trace' | 'uncertain'> = {
    from: flow.from,
    to: toText,
    port: flow.port,
    proto: flow.proto,
    ...(flow.sport !== undefined ? { sport: flow.sport } : {}),
    ...(flow.iface !== undefined ? { iface: flow.iface } : {}),
    ...(arrivalRoute?.routes ? { arrival: arrivalRoute.steps } : {}),
    notes,
  };
  if (loopbackDst && !fromLocal) {
    notes.push('the kernel drops packets from outside addressed to a loopback address (martian destination)');
    return { ...base, state: 'filtered', firewall: 'drop', listener: listenerFor(input, family, proto, flow.port, addrPointSet(to) as DimSet), trace: [], uncertain: [] };
  }
  if (arrivalRoute?.routes && arrivalRoute.steps.length === 0) {
    // No reply can reach the source: no connection, whatever the firewall says.
    return { ...base, state: 'filtered', firewall: 'drop', listener: listenerFor(input, family, proto, flow.port, addrPointSet(to) as DimSet), trace: [], uncertain: [] };
  }
  const path = pathFor(input, family);
  const arrival = arrivalSet({
    family,
    proto,
    ports: I.range(flow.port, flow.port + 1),
    facts: input.facts,
    src: addrPointSet(from) as DimSet,
    dst: addrPointSet(to) as DimSet,
    ...(flow.sport !== undefined ? { sport: I.range(flow.sport, flow.sport + 1) } : {}),
    ...(iif ? { iif } : {}),
    routes: arrivalRoute?.routes ?? null,
  });
  const events: WalkEvent[] = [];
  path.walker.events = events;
  // One flow's trace names every rule it met, so no memoised summaries here.
  path.walker.memoize = false;
  let out;
  try {
    out = path.inbound(arrival);
  } finally {
    path.walker.events = null;
    path.walker.memoize = true;
  }
  const trace: TraceStep[] = events.map((e) => ({
    hook: e.hook,
    rule: eventRef(e),
    verdict: e.verdict,
    partial: isPartial(e.set, arrival),
    uncertain: e.uncertain,
  }));
  const anyRewrite = arrival.rewrite(Dim.Dst, PacketSet.all(family).project(Dim.Dst)).rewrite(Dim.Dport, PacketSet.all(family).project(Dim.Dport));
  const uncertain = uncertaintiesFor(events, anyRewrite);
  notes.push(...limitNotesFor(events, anyRewrite));
  const blocked = out.dropped.union(out.rejected);
  const admitted = out.local.union(out.forwarded);
  if (!admitted.isEmpty() && !blocked.isEmpty()) notes.push(`the verdict depends on ${dependsOn(admitted, blocked)}; the most exposed answer is given`);
  const flagNote = proto === TCP ? openingFlagsNote(arrival, admitted) : null;
  if (flagNote) notes.push(flagNote);
  const binding = out.local.isEmpty()
    ? undefined
    : bindingsFor(input.sockets, family).find(
        (b) => b.proto === proto && out.local.intersects(PacketSet.where(family, { [Dim.Dst]: b.dst, [Dim.Dport]: I.range(b.port, b.port + 1) } as never)),
      );
  // The most exposed answer first: a listener, then a flow forwarded to a container or pod
  // (something may listen there), then a closed local port (the kernel answers RST).
  if (!out.local.isEmpty() && (binding || out.forwarded.isEmpty())) {
    const deliveredPort = (out.local.project(Dim.Dport) as I.IntervalSet<number>)[0]!;
    if (deliveredPort !== flow.port) notes.push(`redirected to local port ${deliveredPort}`);
    if (!toLocal && local !== null) notes.push(`${toText} is not an address of this host`);
    return {
      ...base,
      state: binding ? 'open' : 'closed',
      firewall: 'accept',
      listener: binding ? { address: binding.socket.address, port: binding.socket.port, process: binding.socket.process } : null,
      trace,
      uncertain,
    };
  }
  if (!out.forwarded.isEmpty()) {
    notes.push(`forwarded to ${forwardTargets(out.forwarded, events)}: whether something listens there is not visible from this host`);
    return { ...base, state: 'open', firewall: 'accept', listener: null, trace, uncertain };
  }
  if (!out.rejected.isEmpty()) {
    const rejectEvent = events.find((e) => e.verdict === 'reject' && e.set.intersects(out.rejected));
    return {
      ...base,
      state: 'filtered',
      firewall: 'reject',
      ...(rejectEvent?.rejectWith ? { rejectWith: rejectEvent.rejectWith } : {}),
      listener: listenerFor(input, family, proto, flow.port, addrPointSet(to) as DimSet),
      trace,
      uncertain,
    };
  }
  if (out.dropped.isEmpty()) notes.push('no firewall verdict was reached (not forwarded by the kernel)');
  return { ...base, state: 'filtered', firewall: 'drop', listener: listenerFor(input, family, proto, flow.port, addrPointSet(to) as DimSet), trace, uncertain };
}

/** The socket that would take the flow if the firewall let it in (issue 9: say what listens either way). */
function listenerFor(input: ReachInput, family: Family, proto: number, port: number, to: DimSet): FlowAnswer['listener'] {
  const b = bindingsFor(input.sockets, family).find((x) => x.proto === proto && x.port === port && I.intersects(x.dst, to));
  return b ? { address: b.socket.address, port: b.socket.port, process: b.socket.process } : null;
}

function isPartial(set: PacketSet, arrival: PacketSet): boolean {
  for (const d of [Dim.Sport, Dim.Iif]) {
    if (!I.setsEqual(set.project(d), arrival.project(d))) return true;
  }
  return false;
}

function dependsOn(admitted: PacketSet, blocked: PacketSet): string {
  const dims: string[] = [];
  if (!I.setsEqual(admitted.project(Dim.Sport), blocked.project(Dim.Sport))) dims.push('the source port');
  if (!I.setsEqual(admitted.project(Dim.Iif), blocked.project(Dim.Iif))) dims.push('the input interface');
  if (!I.setsEqual(admitted.project(Dim.TcpFlags), blocked.project(Dim.TcpFlags))) dims.push('the TCP flags of the opening packet');
  if (dims.length === 0) dims.push('constructs read conservatively');
  return dims.join(' and ');
}

/** The (address, port) targets forwarded packets go to, e.g. "172.17.0.2/32 port 80, 172.17.0.3/32 port 80". */
function forwardTargets(forwarded: PacketSet, events: readonly WalkEvent[]): string {
  return [...dnatTargets(forwarded, events).values()]
    .map((t) => `${toCidrs(t.dst as never, forwarded.family).join(',')} port ${portText(t.dport)}`)
    .join(', ');
}

/**
 * A connection opens on any of 16 SYN flag bytes (arrival.ts): when the firewall lets only
 * some of them through, name which do and which do not (`--tcp-flags ALL SYN -j DROP` drops
 * only the plain SYN; SYN+PSH still opens the connection).
 */
function openingFlagsNote(arrival: PacketSet, admitted: PacketSet): string | null {
  if (admitted.isEmpty()) return null;
  const all = arrival.project(Dim.TcpFlags) as I.IntervalSet<number>;
  const through = admitted.project(Dim.TcpFlags) as I.IntervalSet<number>;
  if (I.setsEqual(all, through)) return null;
  const stopped = I.difference(all, through);
  return `only some connection-opening TCP flag combinations get through: ${flagSetText(through).join(', ')} (stopped: ${flagSetText(stopped).join(', ')})`;
}

/**
 * Who can reach each service of a host: for every listener, the exact set of remote
 * sources that can open a new connection to it, and the rules that decide it.
 *
 * The packet space is sliced by arrival (protocol, destination port): one slice per
 * listened port, plus one per port that a prerouting DNAT/REDIRECT rule catches (a
 * published container port, a port redirect). Each slice is walked once through every
 * hook; its locally delivered packets are then shared out among the listeners by bind
 * address, and its forwarded packets become forwarded services.
 *
 * @module
 */
import { type AddrSet, type Family, addrPointSet, isUnspecifiedAddr, parseAddr, toCidrs, toCidrsLimited, unmappedV4 } from '../model/addr.js';
import { MAX_LISTED_PREFIXES, attachExactSources } from './exact-sources.js';
import type { AddressFacts } from '../model/host-facts.js';
import * as I from '../model/interval-set.js';
import { Dim, type DimSet, PacketSet, ifaceSet } from '../model/packet-set.js';
import type { FirewallModel } from '../model/ruleset.js';
import type { Socket } from '../model/snapshot.js';
import { TCP, UDP, arrivalByPorts } from './engine/arrival.js';
import type { ArrivalCube, ArrivalFacts } from './engine/arrival-routes.js';
import { addInterfaceReach } from './arrival-report.js';
import { restrictToLink } from './link-scope.js';
import type { WalkEvent } from './engine/evaluate-chain.js';
import { type HostFacts, PacketPath } from './engine/packet-path.js';
import { decisionsFor, limitNotesFor, uncertaintiesFor } from './engine/refs.js';
import { dnatTargets, mergeProxySockets, natWalks, originalDestinations } from './published.js';
import { PreroutingShare } from './engine/prerouting-share.js';
import type { ServiceReach } from './types.js';
import { addToList } from '../model/list-map.js';

export interface ReachInput {
  models: Record<Family, FirewallModel>;
  facts: AddressFacts;
  sockets: readonly Socket[];
  /** Forwarding per family from sysctls; null when unknown. */
  forwarding: Record<Family, boolean | null>;
  /** Where sources arrive, from the routing table; absent or null when not known (any interface). */
  arrival?: ArrivalFacts | null;
  /** Families whose firewall could not be read, and why: their answers assume no filtering. */
  firewallUnreadable?: Partial<Record<Family, string>>;
}

/** Where a socket takes packets from, for one family. */
interface Binding {
  socket: Socket;
  family: Family;
  proto: number;
  port: number;
  /** Destination addresses this socket receives (after more specific sockets took theirs). */
  dst: DimSet;
  wildcard: boolean;
}

const paths = new WeakMap<ReachInput, Partial<Record<Family, PacketPath>>>();

/** The packet path of one family; cached per input, so rule indexes are built once. */
export function pathFor(input: ReachInput, family: Family): PacketPath {
  let cached = paths.get(input);
  if (!cached) paths.set(input, (cached = {}));
  return (cached[family] ??= newPath(input, family));
}

function newPath(input: ReachInput, family: Family): PacketPath {
  const facts: HostFacts = {
    family,
    localAddrs: input.facts.local[family] as I.IntervalSet<I.Ordinal> | null,
    redirectAddrs: input.facts.remoteReachable[family] as I.IntervalSet<I.Ordinal> | null,
    subnets: input.facts.subnets[family].map((s) => ({ iface: s.iface, addrs: s.addrs as I.IntervalSet<I.Ordinal> })),
    forwarding: input.forwarding[family],
  };
  return new PacketPath(input.models[family], facts);
}

/** A wildcard bind address, compared as a number: "::", "0::0" and "0000:…:0000" are one address (issue 9). */
export function isWildcard(address: string): boolean {
  return address === '*' || isUnspecifiedAddr(address);
}

/** Sockets that take packets of `family`: its own, and dual-stack IPv6 wildcard sockets for IPv4. */
export function bindingsFor(sockets: readonly Socket[], family: Family): Binding[] {
  const out: Binding[] = [];
  for (const s of sockets) {
    const proto = s.proto === 'tcp' ? TCP : UDP;
    if (s.family === family) {
      out.push({ socket: s, family, proto, port: s.port, dst: addrDimSet(s.address, family), wildcard: isWildcard(s.address) });
    } else if (family === 'ipv4' && s.family === 'ipv6' && isWildcard(s.address) && s.v6only !== true) {
      // A dual-stack socket takes IPv4 unless an IPv4 socket holds the same port (then it must be v6only).
      const clash = sockets.some((o) => o.family === 'ipv4' && o.proto === s.proto && o.port === s.port);
      if (!clash) out.push({ socket: s, family, proto, port: s.port, dst: fullAddr(family), wildcard: true });
    } else if (family === 'ipv4' && s.family === 'ipv6') {
      const parsed = parseAddr(s.address);
      const v4 = parsed && unmappedV4(parsed);
      if (v4) out.push({ socket: s, family, proto, port: s.port, dst: addrPointSet(v4) as DimSet, wildcard: false });
    }
  }
  // The kernel prefers a socket bound to the exact address over a wildcard one.
  for (const b of out) {
    if (!b.wildcard) continue;
    for (const o of out) {
      if (o !== b && !o.wildcard && o.proto === b.proto && o.port === b.port) b.dst = I.difference(b.dst, o.dst);
    }
  }
  return out;
}

function fullAddr(family: Family): DimSet {
  return PacketSet.all(family).project(Dim.Dst);
}

function addrDimSet(address: string, family: Family): DimSet {
  if (isWildcard(address)) return fullAddr(family);
  const parsed = parseAddr(address);
  if (!parsed || parsed.family !== family) return [];
  return addrPointSet(parsed) as DimSet;
}

function slicePort(ports: DimSet): number | null {
  return ports.length === 2 && (ports[1] as number) - (ports[0] as number) === 1 ? (ports[0] as number) : null;
}

/** Split a port set into single ports when small, else keep it as one slice. */
function portSlices(ports: DimSet): DimSet[] {
  const out: DimSet[] = [];
  let count = 0;
  for (const [lo, hi] of I.ranges(ports as I.IntervalSet<number>)) count += hi - lo;
  if (count > 1024) return [ports];
  for (const [lo, hi] of I.ranges(ports as I.IntervalSet<number>)) for (let p = lo; p < hi; p++) out.push(I.range(p, p + 1));
  return out;
}

export interface ReachResult {
  services: ServiceReach[];
  /** Per family: does every input drop meet a log statement first? null when nothing is dropped. */
  inputDropsLogged: Record<Family, boolean | null>;
}

/** A port nobody listens on, so the catch-all rules of the input path are seen too. */
function unlistenedPort(bindings: readonly Binding[], proto: number): number {
  const used = new Set(bindings.filter((b) => b.proto === proto).map((b) => b.port));
  let port = 65000;
  while (used.has(port)) port--;
  return port;
}

export function computeServices(input: ReachInput): ReachResult {
  const services: ServiceReach[] = [];
  const direct = new Map<Socket, ServiceReach>();
  const inputDropsLogged: Record<Family, boolean | null> = { ipv4: null, ipv6: null };
  for (const family of ['ipv4', 'ipv6'] as const) {
    const path = pathFor(input, family);
    const bindings = bindingsFor(input.sockets, family);
    const byPort = new Map<string, Binding[]>();
    for (const b of bindings) {
      const k = `${b.proto}:${b.port}`;
      addToList(byPort, k, b);
    }
    const slices = new Map<string, { proto: number; ports: DimSet }>();
    for (const b of bindings) slices.set(`${b.proto}:${b.port}`, { proto: b.proto, ports: I.range(b.port, b.port + 1) });
    for (const proto of [TCP, UDP]) {
      const port = unlistenedPort(bindings, proto);
      slices.set(`${proto}:${port}`, { proto, ports: I.range(port, port + 1) });
    }
    const walks = natWalks(path, input.facts, family);
    for (const w of walks) {
      for (const ports of portSlices(w.dnatPorts)) slices.set(`${w.proto}:${portText(ports)}`, { proto: w.proto, ports });
    }
    // The walks that found those ports take every slice through ingress and prerouting.
    const shares = new Map(walks.map((w) => [w.proto, PreroutingShare.of(w)]));
    const routes = input.arrival?.cubes[family] ?? null;
    const arrivals = new Map([TCP, UDP].map((proto) => [proto, arrivalByPorts({ family, proto, facts: input.facts, routes })]));
    for (const slice of slices.values()) {
      const arrival = arrivals.get(slice.proto)!(slice.ports);
      const prerouted = shares.get(slice.proto)?.cut(arrival, slice.ports) ?? null;
      const events: WalkEvent[] = prerouted ? prerouted.events : [];
      path.walker.events = events;
      const out = prerouted ? path.inboundAfterPrerouting(prerouted.passed) : path.inbound(arrival);
      path.walker.events = null;
      const logged = dropsLogged(events);
      if (logged !== null) inputDropsLogged[family] = (inputDropsLogged[family] ?? true) && logged;
      // Only sockets on a port the slice's packets arrive at (after any REDIRECT) can get them.
      const candidates = new Set<Binding>(byPort.get(`${slice.proto}:${slicePort(slice.ports)}`) ?? []);
      for (const [lo, hi] of I.ranges(out.local.project(Dim.Dport) as I.IntervalSet<number>)) {
        if (hi - lo > 1024) {
          for (const b of bindings) if (b.proto === slice.proto && b.port >= lo && b.port < hi) candidates.add(b);
        } else for (let p = lo; p < hi; p++) for (const b of byPort.get(`${slice.proto}:${p}`) ?? []) candidates.add(b);
      }
      for (const b of candidates) {
        const ownPort = slice.ports.length === 2 && slice.ports[0] === b.port && slice.ports[1] === b.port + 1;
        let region = PacketSet.where(family, { [Dim.Dst]: b.dst, [Dim.Dport]: I.range(b.port, b.port + 1) } as Partial<Record<Dim, DimSet>>);
        if (b.socket.device) region = region.restrict(Dim.Iif, ifaceSet([b.socket.device.replace(/^%/, '')]));
        const reached = out.local.intersect(region);
        if (!ownPort && reached.isEmpty()) continue;
        const entry = ownPort ? directEntry(direct, services, b) : redirectEntry(services, b, slice.ports);
        // Evidence: what happened to the packets sent to this socket's addresses (those that
        // never reached it included); for a redirect, to the packets that did reach it.
        const evidence = ownPort ? arrival.intersect(PacketSet.where(family, { [Dim.Dst]: b.dst } as Partial<Record<Dim, DimSet>>)) : reached;
        addFamily(entry, family, reached, events, evidence, routes);
      }
      for (const fwd of forwardedServices(out.forwarded, slice, family, events, arrival.project(Dim.Dst), routes)) services.push(fwd);
    }
  }
  return { services: mergeProxySockets(services), inputDropsLogged };
}

const LOG_NOTES = /^(log|nflog|ulog)$/i;

/** Whether a continue note names a log statement: nft joins a rule's statements ("limit, log", "counter, log"). */
function notesLog(note: string): boolean {
  // Asked once per continue event of every slice (kube-proxy's thousands of KUBE-MARK-MASQ
  // steps), about a few distinct notes: split and test each note once.
  let known = NOTES_LOG.get(note);
  if (known === undefined) {
    if (NOTES_LOG.size >= 4096) NOTES_LOG.clear();
    NOTES_LOG.set(note, (known = note.split(/,\s*/).some((n) => LOG_NOTES.test(n))));
  }
  return known;
}

const NOTES_LOG = new Map<string, boolean>();

/** Whether every input-hook drop in a walk was preceded by a log statement over the same packets; null when nothing was dropped. */
function dropsLogged(events: readonly WalkEvent[]): boolean | null {
  // What was logged, in pieces, unioned only when a drop is not one of them: a blocklist that
  // logs each address before dropping it logs and drops the same sets, and a union per log
  // plus a subtraction per drop copied its 60,000 addresses each time (issue 8).
  const pieces: PacketSet[] = [];
  let logged: PacketSet | null = null;
  let sawDrop = false;
  for (const e of events) {
    if (e.rule && e.rule.action.type === 'continue' && notesLog(e.rule.action.note)) {
      pieces.push(e.set);
      logged = null;
      continue;
    }
    if (e.hook !== 'input' && e.hook !== 'prerouting') continue;
    if (e.verdict !== 'drop' && e.verdict !== 'reject' && e.verdict !== 'policy-drop') continue;
    // Only drops that certainly happen: a rule that may drop (e.g. ufw's routing-header
    // type 0 drop) says nothing about whether the world's knocking is logged.
    if (e.uncertain) continue;
    sawDrop = true;
    if (loggedAlike(e.set, pieces)) continue;
    logged ??= PacketSet.unionAll(e.set.family, pieces);
    if (!e.set.isSubsetOf(logged)) return false;
  }
  return sawDrop ? true : null;
}

/** Whether `set` is one of the logged pieces, written alike: the latest first (a LOG right before its DROP). */
function loggedAlike(set: PacketSet, pieces: readonly PacketSet[]): boolean {
  for (let k = pieces.length - 1; k >= 0; k--) if (set.sameCubesAs(pieces[k]!)) return true;
  return false;
}

function baseEntry(b: Binding): ServiceReach {
  const s = b.socket;
  return {
    proto: s.proto,
    port: s.port,
    address: s.address,
    family: s.family,
    dualStack: s.family === 'ipv6' && isWildcard(s.address) && s.v6only !== true,
    process: s.process,
    path: { kind: 'local' },
    sources: { ipv4: [], ipv6: [] },
    decisions: [],
    uncertain: [],
    rateLimited: false,
  };
}

function directEntry(direct: Map<Socket, ServiceReach>, services: ServiceReach[], b: Binding): ServiceReach {
  let entry = direct.get(b.socket);
  if (!entry) {
    entry = baseEntry(b);
    direct.set(b.socket, entry);
    services.push(entry);
  }
  return entry;
}

function redirectEntry(services: ServiceReach[], b: Binding, hostPorts: DimSet): ServiceReach {
  const entry = baseEntry(b);
  const ports = portText(hostPorts);
  entry.port = Number(ports.split('-')[0]);
  entry.path = { kind: 'redirect', hostPorts: ports };
  services.push(entry);
  return entry;
}

/**
 * Services behind the same rules share one source set (the world minus a blocklist, often
 * tens of thousands of prefixes): format each distinct set once and share the list.
 */
const cidrCache = new Map<string, { set: AddrSet; cidrs: Listed }[]>();

interface Listed {
  cidrs: string[];
  omittedRanges: number;
}

function cidrsOf(set: AddrSet, family: Family): Listed {
  if (set.length < 64) return { cidrs: toCidrs(set, family), omittedRanges: 0 };
  const flat = set as readonly (number | bigint)[];
  // A cheap fingerprint picks the bucket; equality of the boundaries decides.
  const key = `${family}:${flat.length}:${flat[0]}:${flat[flat.length >> 1]}:${flat[flat.length - 1]}`;
  let bucket = cidrCache.get(key);
  const hit = bucket?.find((e) => I.setsEqual(e.set as I.IntervalSet<I.Ordinal>, set as I.IntervalSet<I.Ordinal>));
  if (hit) return hit.cidrs;
  if (!bucket) {
    if (cidrCache.size >= 16) cidrCache.delete(cidrCache.keys().next().value!);
    cidrCache.set(key, (bucket = []));
  }
  const cidrs = toCidrsLimited(set, family, MAX_LISTED_PREFIXES);
  bucket.push({ set, cidrs });
  return cidrs;
}

function addFamily(entry: ServiceReach, family: Family, reachedAll: PacketSet, events: WalkEvent[], evidence: PacketSet, routes: readonly ArrivalCube[] | null): void {
  const linkOnly = restrictToLink(reachedAll, routes);
  const reached = linkOnly ?? reachedAll;
  if (linkOnly) entry.linkScoped = [...(entry.linkScoped ?? []), family];
  if (routes) entry.interfaces = addInterfaceReach(entry.interfaces ?? [], reached, routes);
  const set = reached.project(Dim.Src) as AddrSet;
  const listed = cidrsOf(set, family);
  entry.sources[family] = listed.cidrs;
  if (listed.omittedRanges > 0) entry.sourcesOmitted = { ipv4: 0, ipv6: 0, ...entry.sourcesOmitted, [family]: listed.omittedRanges };
  attachExactSources(entry.sources, family, set);
  entry.decisions.push(...decisionsFor(events, evidence));
  entry.uncertain.push(...uncertaintiesFor(events, evidence));
  if (rateLimitedOnPath(events, evidence)) entry.rateLimited = true;
  const later = limitNotesFor(events, evidence);
  if (later.length > 0) entry.laterConnections = [...new Set([...(entry.laterConnections ?? []), ...later])];
}

/**
 * A limit counts when it can decide: a rate-limited rule that accepts, drops, rejects or
 * sends the packet to a chain that does (ufw's `limit` is `recent --update … -j
 * ufw-user-limit`). A `-m limit … -j LOG` only limits the logging.
 */
function rateLimitedOnPath(events: readonly WalkEvent[], region: PacketSet): boolean {
  return events.some(
    (e) =>
      e.rule !== null &&
      e.rule.action.type !== 'continue' &&
      (e.rule.limits !== undefined || e.rule.uncertain.some((u) => u.kind === 'rate-limit')) &&
      e.set.intersects(region),
  );
}

/** "80", "8000-8010,9000": a port set as the report writes it. */
export function portText(ports: DimSet): string {
  return [...I.ranges(ports as I.IntervalSet<number>)]
    .map(([lo, hi]) => (hi - lo === 1 ? `${lo}` : `${lo}-${hi - 1}`))
    .join(',');
}

function addrText(set: DimSet, family: Family): string {
  // Single addresses read as addresses (as a bind address does), prefixes keep their length.
  const host = family === 'ipv4' ? '/32' : '/128';
  return toCidrs(set as AddrSet, family)
    .map((c) => (c.endsWith(host) ? c.slice(0, -host.length) : c))
    .join(',');
}

/**
 * Forwarded packets of one slice are published services: one per host address set clients
 * connect to (Docker's `-p 10.0.5.1:8443:443` publishes on one address only), listing every
 * target it spreads over (kube-proxy's endpoints: each random branch is possible).
 */
function forwardedServices(forwarded: PacketSet, slice: { proto: number; ports: DimSet }, family: Family, events: WalkEvent[], arrivalDst: DimSet, routes: readonly ArrivalCube[] | null): ServiceReach[] {
  if (forwarded.isEmpty()) return [];
  const targets = dnatTargets(forwarded, events);
  const byAddress = new Map<string, { dst: DimSet; dport: DimSet }[]>();
  for (const t of targets.values()) {
    const original = originalDestinations(events, t.dst, t.dport, family);
    const address = I.isSubset(arrivalDst as I.IntervalSet<I.Ordinal>, original as I.IntervalSet<I.Ordinal>) ? '*' : addrText(I.intersect(original as I.IntervalSet<I.Ordinal>, arrivalDst as I.IntervalSet<I.Ordinal>) as DimSet, family);
    addToList(byAddress, address, t);
  }
  const hostPorts = portText(slice.ports);
  const out: ServiceReach[] = [];
  for (const [address, group] of byAddress) {
    let part = PacketSet.empty(family);
    for (const t of group) part = part.union(forwarded.intersect(PacketSet.where(family, { [Dim.Dst]: t.dst, [Dim.Dport]: t.dport } as Partial<Record<Dim, DimSet>>)));
    const listed = group.map((t) => ({ address: addrText(t.dst, family), port: portText(t.dport) }));
    const entry: ServiceReach = {
      proto: slice.proto === TCP ? 'tcp' : 'udp',
      port: Number(hostPorts.split(/[-,]/)[0]),
      address,
      family,
      dualStack: false,
      process: null,
      path: { kind: 'forward', hostPorts, target: listed[0]!, ...(listed.length > 1 ? { targets: listed } : {}) },
      sources: { ipv4: [], ipv6: [] },
      decisions: [],
      uncertain: [],
      rateLimited: false,
    };
    // Evidence: every event on packets that ended up forwarded here, before or after the rewrite.
    addFamily(entry, family, part, events, part.union(part.rewrite(Dim.Dst, fullAddr(family)).rewrite(Dim.Dport, slice.ports)), routes);
    out.push(entry);
  }
  return out;
}


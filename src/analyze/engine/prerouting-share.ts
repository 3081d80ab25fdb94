/**
 * One walk of ingress and prerouting serves every slice of an audit (issue 8). The audit
 * already walks each protocol's packets on every port through those hooks, to find the ports
 * DNAT catches (published.ts); walking each of a kube-proxy node's 538 NodePort slices
 * through them again was a third of the analysis. A walk treats each packet on its own, so a
 * slice's walk is the shared walk cut down to the slice's packets, sets and events alike.
 *
 * Cutting needs each packet's arrival identity, and DNAT rewrites the destination: a DNATed
 * packet (its conntrack state carries the DNAT flag) keeps its arrival address and port in
 * {@link Dim.OrigDst}/{@link Dim.OrigDport}, any other one still has its own. Where that
 * does not hold, or where the walk's events would not be the slice walk's, {@link
 * PreroutingShare.of} declines and each slice is walked as before:
 *
 * - arrival packets in more than one conntrack state, already DNATed, or with an original
 *   destination set (NOTRACK would hide which state a packet arrived in);
 * - a NOTRACK after a DNAT (it clears the DNAT flag) or a DNAT of a packet with no fresh
 *   conntrack entry (none is recorded);
 * - a DNAT that keeps the port of packets on several ports (netavark's `tcp dport 9100-9101
 *   dnat ip to 172.17.0.2`): a cube records all its ports as the original port of each of
 *   its packets, so the cut for 9101 kept the packets now on 9100 too, and the host's
 *   `tcp dport 9100 accept` in forward admitted them (test/kernel/containers-nft.test.ts);
 *   a slice's own walk has one port there, where the copy is exact. Likewise a DNAT that
 *   keeps the address of packets on several addresses, whose cubes the two walks may cut
 *   differently;
 * - a memoised chain walk: its summaries count the rules met by the packets walked, which
 *   differ between the shared walk and a slice.
 *
 * @module
 */
import * as I from '../../model/interval-set.js';
import { type Cube, Dim, type DimSet, PacketSet, STATE_DOMAIN, dimDomain } from '../../model/packet-set.js';
import type { WalkEvent } from './evaluate-chain.js';

/** State values with the DNAT flag (see ctValue: base + 5 × DNAT + 10 × SNAT). */
const DNAT_STATES = statesWhere((v) => v % 10 >= 5);
const PLAIN_STATES = statesWhere((v) => v % 10 < 5);
/** States a DNAT records the original destination of: tracked (NEW, ESTABLISHED, RELATED), not yet DNATed. */
const FRESH_STATES = statesWhere((v) => v % 10 < 3);

function statesWhere(keep: (v: number) => boolean): I.IntervalSet<number> {
  const points: number[] = [];
  for (let v = STATE_DOMAIN.min; v < STATE_DOMAIN.max; v++) if (keep(v)) points.push(v);
  return I.fromPoints(points);
}

/** A set of ports at most this big is indexed port by port; a bigger one is met by every slice. */
const MAX_INDEXED_PORTS = 64;

/** What a shared walk needs: its arrival, what passed, the events (see published.ts natWalks). */
export interface SharedWalk {
  arrival: PacketSet;
  passed: PacketSet;
  events: readonly WalkEvent[];
  memoised: boolean;
  /** Whether a REDIRECT keeps the destination address (see applyDnat in evaluate-chain.ts). */
  redirectKeepsAddress: boolean;
}

export interface PreroutedSlice {
  /** The slice's packets after ingress and prerouting. */
  passed: PacketSet;
  /** The events the slice's own walk through both hooks records, in order. */
  events: WalkEvent[];
}

export class PreroutingShare {
  private readonly events: ByArrivalPort;
  private readonly cubes: ByArrivalPort;

  private constructor(private readonly walk: SharedWalk) {
    this.events = new ByArrivalPort(walk.events.map((e) => arrivalPorts(e.set.cubes)));
    this.cubes = new ByArrivalPort(walk.passed.cubes.map((c) => arrivalPorts([c])));
  }

  /** A share of `walk`, or null when cutting it would not give each slice its own walk's answer (see the module notes). */
  static of(walk: SharedWalk): PreroutingShare | null {
    if (walk.memoised || !arrivalIdentityKept(walk.arrival)) return null;
    for (const e of walk.events) {
      const states = e.set.project(Dim.State) as I.IntervalSet<number>;
      if (e.verdict === 'notrack' && I.intersects(states, DNAT_STATES)) return null;
      if (e.verdict === 'dnat' && !I.isSubset(states, FRESH_STATES)) return null;
      if (e.verdict === 'dnat' && keepsSeveralValues(e, walk.redirectKeepsAddress)) return null;
    }
    return new PreroutingShare(walk);
  }

  /**
   * The walk of `arrival` (whose ports are `ports`) through ingress and prerouting, cut from
   * the shared one; null when `arrival` is not part of the shared walk's packets.
   */
  cut(arrival: PacketSet, ports: DimSet): PreroutedSlice | null {
    if (!arrival.isSubsetOf(this.walk.arrival)) return null;
    const region = arrivedAs(arrival);
    const port = singlePort(ports);
    const events: WalkEvent[] = [];
    for (const i of this.events.candidates(port)) {
      const e = this.walk.events[i]!;
      const set = e.set.intersect(region);
      if (!set.isEmpty()) events.push({ ...e, set });
    }
    const cubes = this.cubes.candidates(port).map((i) => this.walk.passed.cubes[i]!);
    return { passed: PacketSet.fromCubes(arrival.family, cubes).intersect(region), events };
  }
}

/**
 * Whether a DNAT step leaves the port, or the address, as it was on a cube of more than one
 * (or its rule is not known): the original value is then copied from a set, not a packet.
 */
function keepsSeveralValues(e: WalkEvent, redirectKeepsAddress: boolean): boolean {
  const action = e.rule?.action;
  if (action?.type !== 'dnat') return true;
  const keepsAddress = action.toLocal ? redirectKeepsAddress : !action.addr;
  return e.set.cubes.some((c) => (!action.ports && singlePort(c[Dim.Dport]!) === null) || (keepsAddress && !singleValue(c[Dim.Dst]!)));
}

function singleValue(set: DimSet): boolean {
  if (set.length !== 2) return false;
  const [lo, hi] = set as readonly (number | bigint)[];
  return typeof lo === 'bigint' ? (hi as bigint) - lo === 1n : (hi as number) - (lo as number) === 1;
}

/** Whether every arrival packet is in one conntrack state, not DNATed, with no original destination recorded. */
function arrivalIdentityKept(arrival: PacketSet): boolean {
  const states = arrival.project(Dim.State) as I.IntervalSet<number>;
  if (states.length !== 2 || states[1]! - states[0]! !== 1 || I.intersects(states, DNAT_STATES)) return false;
  const full = PacketSet.all(arrival.family).cubes[0]!;
  return arrival.cubes.every((c) => I.setsEqual(c[Dim.OrigDst]!, full[Dim.OrigDst]!) && I.setsEqual(c[Dim.OrigDport]!, full[Dim.OrigDport]!));
}

/**
 * Every packet a walk can make of `arrival`: one not DNATed has its arrival values in any
 * state (NOTRACK changes it; the arrival has one state, see arrivalIdentityKept); a DNATed
 * one has its arrival destination in the original dimensions and any destination now.
 */
function arrivedAs(arrival: PacketSet): PacketSet {
  const family = arrival.family;
  const cubes: Cube[] = [];
  for (const c of arrival.cubes) {
    const plain = c.slice();
    plain[Dim.State] = PLAIN_STATES;
    cubes.push(plain);
    const dnated = c.slice();
    dnated[Dim.State] = DNAT_STATES;
    dnated[Dim.OrigDst] = c[Dim.Dst]!;
    dnated[Dim.OrigDport] = c[Dim.Dport]!;
    dnated[Dim.Dst] = I.fullSet(dimDomain(family, Dim.Dst)) as DimSet;
    dnated[Dim.Dport] = I.fullSet(dimDomain(family, Dim.Dport)) as DimSet;
    cubes.push(dnated);
  }
  return PacketSet.fromCubes(family, cubes);
}

/** The arrival ports of the packets of some cubes (the original port of DNATed ones). */
function arrivalPorts(cubes: readonly Cube[]): I.IntervalSet<number> {
  const parts: I.IntervalSet<number>[] = [];
  for (const c of cubes) {
    const states = c[Dim.State] as I.IntervalSet<number>;
    if (I.intersects(states, PLAIN_STATES)) parts.push(c[Dim.Dport] as I.IntervalSet<number>);
    if (I.intersects(states, DNAT_STATES)) parts.push(c[Dim.OrigDport] as I.IntervalSet<number>);
  }
  return I.unionAll(parts);
}

function singlePort(ports: DimSet): number | null {
  return ports.length === 2 && (ports[1] as number) - (ports[0] as number) === 1 ? (ports[0] as number) : null;
}

/** Items (events, cubes) indexed by the arrival ports of their packets: a slice of one port meets its own and the wide ones. */
class ByArrivalPort {
  private readonly byPort = new Map<number, number[]>();
  private readonly wide: number[] = [];
  private readonly all: number[];

  constructor(ports: readonly I.IntervalSet<number>[]) {
    this.all = ports.map((_, i) => i);
    ports.forEach((set, i) => {
      let count = 0;
      for (let k = 0; k < set.length; k += 2) count += set[k + 1]! - set[k]!;
      if (count > MAX_INDEXED_PORTS) {
        this.wide.push(i);
        return;
      }
      for (let k = 0; k < set.length; k += 2) {
        for (let p = set[k]!; p < set[k + 1]!; p++) {
          const list = this.byPort.get(p);
          if (list) list.push(i);
          else this.byPort.set(p, [i]);
        }
      }
    });
  }

  /** Indexes of the items a slice of `port` (null: of several ports) may meet, ascending. */
  candidates(port: number | null): readonly number[] {
    if (port === null) return this.all;
    const own = this.byPort.get(port);
    if (!own) return this.wide;
    if (this.wide.length === 0) return own;
    return mergeAscending(own, this.wide);
  }
}

/** Two ascending index lists with no index in both, as one ascending list. */
function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

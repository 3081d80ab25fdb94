/**
 * The packets a remote client can send to open a connection: any source address and port,
 * to one of the host's addresses, arriving on any non-loopback interface, conntrack state
 * NEW, and for TCP every flag byte that opens a connection (see SYN_PACKETS).
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import type { AddressFacts } from '../../model/host-facts.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, IFACE_DOMAIN, PacketSet, ctValue, ifaceSet } from '../../model/packet-set.js';
import type { ArrivalCube } from './arrival-routes.js';
import { ANY_IFACE } from './reply-route.js';

export const TCP = 6;
export const UDP = 17;

/**
 * A listening socket opens a connection on SYN without ACK, RST or FIN, whatever PSH, URG,
 * ECE and CWR say (tcp_rcv_state_process, TCP_LISTEN), and conntrack calls all 16 valid
 * (tcp_valid_flags ignores ECE, CWR, PSH; SYN+URG is listed): a rule that drops only the
 * plain SYN leaves the port open (issue 9).
 */
export const SYN_PACKETS = I.fromPoints([0x00, 0x08, 0x20, 0x28, 0x40, 0x48, 0x60, 0x68, 0x80, 0x88, 0xa0, 0xa8, 0xc0, 0xc8, 0xe0, 0xe8].map((f) => f | 0x02));
const NEW_STATE = I.fromPoints([ctValue('NEW')]);
const NO_IFACE = I.range('', '\u0000');

/** Interfaces a remote packet can arrive on: the host's non-loopback ones, or any but lo when unknown. */
export function remoteIfaceSet(facts: AddressFacts): DimSet {
  if (facts.remoteInterfaces) return ifaceSet(facts.remoteInterfaces);
  return I.difference(I.range('\u0001', IFACE_DOMAIN.max), ifaceSet(['lo']));
}

export interface ArrivalOptions {
  family: Family;
  proto: number;
  ports: DimSet;
  facts: AddressFacts;
  /** Restrict the source (explain's --from); any when absent. */
  src?: DimSet;
  /** Restrict the destination; the host's non-loopback addresses when absent. */
  dst?: DimSet;
  sport?: DimSet;
  /** Pins the input interface (explain's --iface): the routes are then not consulted. */
  iif?: DimSet;
  /**
   * Where sources arrive, from the routing table (see arrival-routes.ts): the packets are the
   * union over these cubes. Absent or null: any source on any non-loopback interface.
   */
  routes?: readonly ArrivalCube[] | null;
}

export function arrivalSet(o: ArrivalOptions): PacketSet {
  const dst = o.dst ?? (o.facts.remoteReachable[o.family] as DimSet | null) ?? undefined;
  if (o.routes && !o.iif) {
    let set = PacketSet.empty(o.family);
    for (const c of o.routes) {
      const cubeDst = dst ? I.intersect(c.dst as I.IntervalSet<I.Ordinal>, dst as I.IntervalSet<I.Ordinal>) : c.dst;
      const src = o.src ? I.intersect(c.src as I.IntervalSet<I.Ordinal>, o.src as I.IntervalSet<I.Ordinal>) : c.src;
      if (I.isEmpty(cubeDst as I.IntervalSet<I.Ordinal>) || I.isEmpty(src as I.IntervalSet<I.Ordinal>)) continue;
      const iif = c.iface === ANY_IFACE ? remoteIfaceSet(o.facts) : ifaceSet([c.iface]);
      set = set.union(baseSet({ ...o, src: src as DimSet, dst: cubeDst as DimSet, iif }));
    }
    return set;
  }
  return baseSet({ ...o, ...(dst ? { dst } : {}) });
}

/**
 * {@link arrivalSet} for many port sets of one protocol (an audit's slices): built once, each
 * call puts its ports in every cube. The cubes are arrivalSet's own: its cubes all hold the
 * same ports, so which of them merge does not depend on the ports.
 */
export function arrivalByPorts(o: Omit<ArrivalOptions, 'ports'>): (ports: DimSet) => PacketSet {
  const template = arrivalSet({ ...o, ports: I.range(0, 65536) });
  return (ports) =>
    PacketSet.fromCubes(
      template.family,
      template.cubes.map((c) => {
        const cube = c.slice();
        cube[Dim.Dport] = ports;
        return cube;
      }),
    );
}

function baseSet(o: ArrivalOptions): PacketSet {
  const dst = o.dst;
  return PacketSet.where(o.family, {
    [Dim.Src]: o.src,
    [Dim.Dst]: dst,
    [Dim.Proto]: I.range(o.proto, o.proto + 1),
    [Dim.Sport]: o.sport,
    [Dim.Dport]: o.ports,
    [Dim.Iif]: o.iif ?? remoteIfaceSet(o.facts),
    [Dim.Oif]: NO_IFACE,
    [Dim.State]: NEW_STATE,
    [Dim.TcpFlags]: o.proto === TCP ? SYN_PACKETS : undefined,
  } as Partial<Record<Dim, DimSet>>);
}

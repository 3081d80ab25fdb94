/**
 * Which rules of a chain can matter for a set of packets. Evaluating a listener's slice
 * (one protocol, one destination port) against a 100,000-rule chain must not touch every
 * rule: rules are bucketed by the protocol and destination ports they match, and a slice
 * asks only its bucket plus the rules that match any port.
 *
 * @module
 */
import * as I from '../../model/interval-set.js';
import type { IntervalSet } from '../../model/interval-set.js';
import { Dim, type PacketSet } from '../../model/packet-set.js';
import type { Chain } from '../../model/ruleset.js';
import { mergeSorted } from '../sorted-lists.js';
import { type Step, stepsOf } from './rule-batches.js';

/**
 * A port set with at most this many ports is indexed port by port, here and in the
 * shadowed-rule analysis's cover index (a multiport list; a few short ranges).
 */
export const MAX_EXPANDED_PORTS = 64;
/**
 * A chain of at most this many steps is not indexed: trying each step costs less than the
 * maps would hold. kube-proxy's 20,000 KUBE-SVC-/KUBE-SEP- chains have 2-5 rules each, and
 * their empty maps and lists were ~7 MB of every load (issue 8).
 */
const MAX_UNINDEXED_STEPS = 8;

export class ChainIndex {
  /** {@link protoPortKey} → rule indexes (ascending); null when no step is indexed by port. */
  private byProtoPort: Map<number, number[]> | null = null;
  /** proto → rules matching that single protocol on many ports, with their port sets; null when none. */
  private byProto: Map<number, { index: number; ports: IntervalSet<number> }[]> | null = null;
  /** Rules matching several protocols (or any): checked against every slice. */
  private generic: number[] = NONE;
  /** Whether the chain is small enough that every query gets every step. */
  private readonly unindexed: boolean;
  private readonly all: readonly number[];

  /** The chain's rules, with runs of blocklist-like rules folded into one step each; indexes below refer to these. */
  readonly steps: Step[];

  constructor(readonly chain: Chain) {
    this.steps = stepsOf(chain);
    this.all = everyIndex(this.steps.length);
    this.unindexed = this.steps.length <= MAX_UNINDEXED_STEPS;
    if (this.unindexed) return;
    this.steps.forEach((step, index) => {
      const protos = step.match.project(Dim.Proto) as IntervalSet<number>;
      const ports = step.match.project(Dim.Dport) as IntervalSet<number>;
      if (protos.length === 0) return; // matches nothing: never relevant
      const single = protos.length === 2 && protos[1]! - protos[0]! === 1 ? protos[0]! : null;
      if (single === null) {
        (this.generic === NONE ? (this.generic = []) : this.generic).push(index);
        return;
      }
      if (I.valueCount(ports, MAX_EXPANDED_PORTS) <= MAX_EXPANDED_PORTS) {
        const byProtoPort = (this.byProtoPort ??= new Map());
        for (const [lo, hi] of I.ranges(ports)) {
          for (let p = lo; p < hi; p++) push(byProtoPort, protoPortKey(single, p), index);
        }
      } else {
        const byProto = (this.byProto ??= new Map());
        let list = byProto.get(single);
        if (!list) byProto.set(single, (list = []));
        list.push({ index, ports });
      }
    });
  }

  /** Indexes of the steps that may match some packet of `set`, ascending (every step of a small chain). */
  candidates(set: PacketSet): readonly number[] {
    if (this.unindexed) return this.all;
    const protos = set.project(Dim.Proto) as IntervalSet<number>;
    const ports = set.project(Dim.Dport) as IntervalSet<number>;
    if (protos.length !== 2 || protos[1]! - protos[0]! !== 1 || ports.length !== 2 || ports[1]! - ports[0]! !== 1) {
      return this.all;
    }
    const proto = protos[0]!;
    const port = ports[0]!;
    const exact = this.byProtoPort?.get(protoPortKey(proto, port)) ?? NONE;
    let wide: number[] = NONE;
    for (const r of this.byProto?.get(proto) ?? NONE_WIDE) if (I.contains(r.ports, port)) (wide === NONE ? (wide = []) : wide).push(r.index);
    return mergeSorted(mergeSorted(exact, wide), this.generic);
  }
}

/** [0, 1, …, n - 1]; one shared array per length up to {@link MAX_UNINDEXED_STEPS} (nobody writes to it). */
function everyIndex(n: number): readonly number[] {
  if (n <= MAX_UNINDEXED_STEPS) return SMALL_ALL[n]!;
  return Array.from({ length: n }, (_, i) => i);
}

const SMALL_ALL: readonly (readonly number[])[] = Array.from({ length: MAX_UNINDEXED_STEPS + 1 }, (_, n) => Array.from({ length: n }, (_, i) => i));

const NONE: number[] = [];
const NONE_WIDE: { index: number; ports: IntervalSet<number> }[] = [];

/** One number for a protocol and port (a number key: no string built per lookup). */
function protoPortKey(proto: number, port: number): number {
  return proto * 65_536 + port;
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

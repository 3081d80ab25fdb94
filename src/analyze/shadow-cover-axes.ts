/**
 * The protocols and destination ports of each cover of a chain, laid out in one typed array,
 * for the shadowed-rule analysis (shadow.ts): the first tests of a candidate cover read
 * neighbouring numbers instead of its rule, match, cube and sets, scattered over the heap.
 *
 * A rule on one port meets every earlier cover filed under "any port" (a multiport list of
 * more than 64 ports), and a multiport rule every earlier cover spread over the addresses:
 * on a 100,000-rule host that was 1.6 million tests in one chain, the square of its size,
 * and reading each cover's rule from memory was most of their cost (issue 8).
 *
 * @module
 */
import * as I from '../model/interval-set.js';
import { Dim, dimDomain } from '../model/packet-set.js';

/** Where a cover that matches every protocol and port is: nothing to test. */
const EVERY = -1;

const FULL_PROTOS = I.fullSet(dimDomain('ipv4', Dim.Proto)) as I.IntervalSet<number>;
const FULL_PORTS = I.fullSet(dimDomain('ipv4', Dim.Dport)) as I.IntervalSet<number>;

/** Covers' protocols and ports, by their position in the chain. */
export class CoverAxes {
  /** Per rule position: where its cover's sets start in `pool`, or {@link EVERY}. */
  private readonly start: Int32Array;
  /** Per cover: its protocol count of boundaries, those boundaries, then the same for its ports. */
  private pool = new Float64Array(16);
  private used = 0;

  /** `rules`: how many rules the chain has. */
  constructor(rules: number) {
    this.start = new Int32Array(rules);
  }

  /** Files the protocols and ports of the cover at `order`. */
  add(order: number, protos: I.IntervalSet<number>, ports: I.IntervalSet<number>): void {
    if (I.setsEqual(protos, FULL_PROTOS) && I.setsEqual(ports, FULL_PORTS)) {
      this.start[order] = EVERY;
      return;
    }
    const need = this.used + 2 + protos.length + ports.length;
    if (need > this.pool.length) {
      const grown = new Float64Array(Math.max(need, 2 * this.pool.length));
      grown.set(this.pool.subarray(0, this.used));
      this.pool = grown;
    }
    this.start[order] = this.used;
    this.put(protos);
    this.put(ports);
  }

  private put(set: I.IntervalSet<number>): void {
    this.pool[this.used++] = set.length;
    for (let k = 0; k < set.length; k++) this.pool[this.used++] = set[k]!;
  }

  /**
   * Whether the cover at `order` meets `protos` and `ports` (both non-empty): exactly what
   * intersecting its match's projections with them tells.
   */
  meets(order: number, protos: I.IntervalSet<number>, ports: I.IntervalSet<number>): boolean {
    const at = this.start[order]!;
    if (at === EVERY) return protos.length > 0 && ports.length > 0;
    const portsAt = at + 1 + this.pool[at]!;
    return meetsAt(this.pool, at + 1, portsAt, protos) && meetsAt(this.pool, portsAt + 1, portsAt + 1 + this.pool[portsAt]!, ports);
  }
}

/** Whether the set whose boundaries are pool[from..to) meets `set`: the ranges of both, in one pass. */
function meetsAt(pool: Float64Array, from: number, to: number, set: I.IntervalSet<number>): boolean {
  let i = from;
  let j = 0;
  while (i < to && j < set.length) {
    if (pool[i + 1]! <= set[j]!) i += 2;
    else if (set[j + 1]! <= pool[i]!) j += 2;
    else return true;
  }
  return false;
}

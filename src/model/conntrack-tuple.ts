/**
 * Conntrack's tuples and status as packet sets, for `-m conntrack --ctorigdst…/--ctstatus`
 * and nft `ct original ip daddr`, `ct status`.
 *
 * The packets we model are the client's, in the original direction, and are not source-NATed
 * before the filter hooks, so the original source and the reply destination are the packet's
 * own source. The original destination is the packet's own destination until a DNAT, which
 * records it in {@link Dim.OrigDst}/{@link Dim.OrigDport} (see {@link recordOriginalDst}): a
 * condition on it is "(not DNATed ∧ dst ∈ X) ∪ (DNATed ∧ original dst ∈ X)", exact per cube.
 * The reply source is the (rewritten) destination.
 *
 * Packets without a conntrack entry (INVALID, UNTRACKED) match no tuple or status condition,
 * negated or not: xt_conntrack returns false and nft's ct expression breaks the rule.
 *
 * @module
 */
import type { Family } from './addr.js';
import * as I from './interval-set.js';
import { type Cube, Dim, type DimSet, PacketSet, STATE_DOMAIN } from './packet-set.js';

const stateValues = (keep: (v: number) => boolean): I.IntervalSet<number> => {
  const pts: number[] = [];
  for (let v = STATE_DOMAIN.min; v < STATE_DOMAIN.max; v++) if (keep(v)) pts.push(v);
  return I.fromPoints(pts);
};
/** Base state of a state value: 0 NEW, 1 ESTABLISHED, 2 RELATED, 3 INVALID, 4 UNTRACKED. */
const base = (v: number) => v % 5;
const dnat = (v: number) => v % 10 >= 5;
const snat = (v: number) => v >= 10;

/** States with a conntrack entry. */
export const TRACKED = stateValues((v) => base(v) <= 2);
/** States without one (INVALID, UNTRACKED). */
export const UNTRACKED_STATES = stateValues((v) => base(v) > 2);
const TRACKED_PLAIN = stateValues((v) => base(v) <= 2 && !dnat(v));
const TRACKED_DNAT = stateValues((v) => base(v) <= 2 && dnat(v));

/** The conntrack tuple fields we can read. */
export type CtField = 'orig-src' | 'orig-sport' | 'orig-dst' | 'orig-dport' | 'reply-src' | 'reply-sport' | 'proto';

const DIRECT: Record<Exclude<CtField, 'orig-dst' | 'orig-dport'>, Dim> = {
  'orig-src': Dim.Src,
  'orig-sport': Dim.Sport,
  'reply-src': Dim.Dst,
  'reply-sport': Dim.Dport,
  proto: Dim.Proto,
};

/** Packets whose conntrack `field` lies in `values` (already complemented for a negation). */
export function ctFieldSet(family: Family, field: CtField, values: DimSet): PacketSet {
  if (field === 'orig-dst' || field === 'orig-dport') {
    const [now, orig] = field === 'orig-dst' ? [Dim.Dst, Dim.OrigDst] : [Dim.Dport, Dim.OrigDport];
    return PacketSet.where(family, { [Dim.State]: TRACKED_PLAIN, [now]: values }).union(PacketSet.where(family, { [Dim.State]: TRACKED_DNAT, [orig]: values }));
  }
  return PacketSet.where(family, { [Dim.State]: TRACKED, [DIRECT[field]]: values });
}

/** Conntrack status bits (include/uapi/linux/netfilter/nf_conntrack_common.h). */
export const CT_STATUS = { EXPECTED: 1, SEEN_REPLY: 2, ASSURED: 4, CONFIRMED: 8, SNAT: 16, DNAT: 32 } as const;

/**
 * Status bits a packet of state value `v` has, or null when not known (ESTABLISHED's ASSURED
 * bit depends on the protocol's progress). A first packet is not yet CONFIRMED: that happens
 * when it leaves the last hook.
 */
export function ctStatusBits(v: number, mask: number): number | null {
  const b = base(v);
  if (b > 2) return null;
  if (b === 1 && mask & CT_STATUS.ASSURED) return null;
  let bits = (dnat(v) ? CT_STATUS.DNAT : 0) | (snat(v) ? CT_STATUS.SNAT : 0);
  if (b === 1) bits |= CT_STATUS.SEEN_REPLY | CT_STATUS.CONFIRMED;
  if (b === 2) bits |= CT_STATUS.EXPECTED;
  return bits;
}

/**
 * State values whose status satisfies `test`; `unknown` says some tracked state's answer
 * depends on bits we do not model (the caller reads that as uncertain). Untracked packets
 * never match.
 */
export function ctStatusStates(mask: number, test: (bits: number) => boolean): { states: DimSet; unknown: boolean } {
  let unknown = false;
  const states = stateValues((v) => {
    if (base(v) > 2) return false;
    const bits = ctStatusBits(v, mask);
    if (bits === null) {
      unknown = true;
      return true;
    }
    return test(bits & mask);
  });
  return { states, unknown };
}

/**
 * What a DNAT does to the original-tuple dimensions: record the destination it rewrites.
 * Exact per cube, since a cube is a product (its destinations pair with all its other values).
 * Cubes already DNATed keep their record (conntrack NATs a connection once).
 */
export function recordOriginalDst(set: PacketSet): PacketSet {
  const cubes: Cube[] = [];
  for (const c of set.cubes) {
    const states = c[Dim.State] as I.IntervalSet<number>;
    const fresh = I.intersect(states, TRACKED_PLAIN);
    const already = I.difference(states, TRACKED_PLAIN);
    if (fresh.length > 0) {
      const next = c.slice();
      next[Dim.State] = fresh;
      next[Dim.OrigDst] = c[Dim.Dst]!;
      next[Dim.OrigDport] = c[Dim.Dport]!;
      cubes.push(next);
    }
    if (already.length > 0) {
      const next = c.slice();
      next[Dim.State] = already;
      cubes.push(next);
    }
  }
  return PacketSet.fromCubes(set.family, cubes);
}

/**
 * The packet-space algebra: exact sets of packets of one address family, as unions of
 * "cubes". A cube is a product of one interval set per dimension (source address,
 * destination address, protocol, ports, interfaces, connection state, TCP flags), so a
 * firewall match such as `-s 192.0.2.0/24 -p tcp -m multiport --dports 22,80` is one cube
 * and a negation or an nft concatenated set is a union of a few.
 *
 * Everything here is exact: no sampling. Costs grow with the number of cubes, which the
 * engine keeps small by slicing the packet space per listener (see analyze/engine).
 *
 * @module
 */
import { type AddrSet, type Family, addrDomain } from './addr.js';
import * as I from './interval-set.js';
import type { Domain, IntervalSet, Ordinal } from './interval-set.js';

/** Dimension indexes of a cube. */
export const Dim = {
  Src: 0,
  Dst: 1,
  Proto: 2,
  Sport: 3,
  /** Destination port; for ICMP and ICMPv6, `type << 8 | code` (ICMP has no ports). */
  Dport: 4,
  /** Input interface name; "" is "no interface" (locally generated packets). */
  Iif: 5,
  /** Output interface name; "" is "not routed yet / no interface". */
  Oif: 6,
  /** Conntrack state, encoded by {@link ctValue}. */
  State: 7,
  /** TCP flag byte (FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32 ECE=64 CWR=128). */
  TcpFlags: 8,
  /**
   * Conntrack's original destination address and port (`--ctorigdst`, `ct original ip
   * daddr`): full (unset) until a DNAT, which copies Dst/Dport here before rewriting them.
   * Before a DNAT the original tuple is the packet's own, see model/conntrack-tuple.ts.
   */
  OrigDst: 9,
  OrigDport: 10,
} as const;
export type Dim = (typeof Dim)[keyof typeof Dim];
export const DIM_COUNT = 11;
export const DIM_NAMES = ['source', 'destination', 'protocol', 'source port', 'destination port', 'input interface', 'output interface', 'connection state', 'tcp flags', 'original destination', 'original destination port'] as const;

export const PORT_DOMAIN: Domain<number> = { min: 0, max: 65536 };
export const PROTO_DOMAIN: Domain<number> = { min: 0, max: 256 };
/** Interface names sort as strings; U+FFFF never starts a real name. */
export const IFACE_DOMAIN: Domain<string> = { min: '', max: '\uffff' };
export const TCP_FLAGS_DOMAIN: Domain<number> = { min: 0, max: 256 };

/** Conntrack states as the kernel names them. */
export const CT_STATES = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'] as const;
export type CtState = (typeof CT_STATES)[number];
/** A state value is base state + 5 × (DNAT done) + 10 × (SNAT done): the virtual DNAT/SNAT states of `--ctstate`. */
export const STATE_DOMAIN: Domain<number> = { min: 0, max: 20 };

export function ctValue(state: CtState, dnat = false, snat = false): number {
  return CT_STATES.indexOf(state) + (dnat ? 5 : 0) + (snat ? 10 : 0);
}

/** The set of state values matched by `--ctstate A,B` (any listed state applies). */
export function ctStateSet(names: readonly string[]): IntervalSet<number> | null {
  const values: number[] = [];
  for (let v = 0; v < 20; v++) {
    const base = CT_STATES[v % 5]!;
    const dnat = v % 10 >= 5;
    const snat = v >= 10;
    for (const raw of names) {
      const name = raw.toUpperCase();
      if (name === base || (name === 'DNAT' && dnat) || (name === 'SNAT' && snat)) {
        values.push(v);
        break;
      }
    }
  }
  for (const raw of names) {
    if (!(CT_STATES as readonly string[]).includes(raw.toUpperCase()) && raw.toUpperCase() !== 'DNAT' && raw.toUpperCase() !== 'SNAT') return null;
  }
  return I.fromPoints(values);
}

export const TCP_FLAG_BITS = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128 } as const;

/** Flag bytes v with (v & mask) === comp: iptables `--tcp-flags`, nft `tcp flags & m == c`. */
export function tcpFlagsSet(mask: number, comp: number): IntervalSet<number> {
  const pts: number[] = [];
  for (let v = 0; v < 256; v++) if ((v & mask) === comp) pts.push(v);
  return I.fromPoints(pts);
}

export type DimSet = IntervalSet<Ordinal>;
/** One product of per-dimension sets; a cube with any empty dimension is empty. */
export type Cube = readonly DimSet[];

/** Whether two cubes hold the same values on every dimension (`but` aside), each by identity or by comparison. */
export function sameCube(a: Cube, b: Cube, but: Dim | null = null): boolean {
  for (let d = 0; d < DIM_COUNT; d++) {
    if (d === but) continue;
    if (a[d] !== b[d] && !I.setsEqual(a[d]!, b[d]!)) return false;
  }
  return true;
}

export function dimDomain(family: Family, dim: Dim): Domain<Ordinal> {
  switch (dim) {
    case Dim.Src:
    case Dim.Dst:
    case Dim.OrigDst:
      return addrDomain(family) as Domain<Ordinal>;
    case Dim.Proto:
      return PROTO_DOMAIN;
    case Dim.Sport:
    case Dim.Dport:
    case Dim.OrigDport:
      return PORT_DOMAIN;
    case Dim.Iif:
    case Dim.Oif:
      return IFACE_DOMAIN;
    case Dim.State:
      return STATE_DOMAIN;
    case Dim.TcpFlags:
      return TCP_FLAGS_DOMAIN;
  }
}

const FULL_CUBES: Record<Family, Cube> = {
  ipv4: Array.from({ length: DIM_COUNT }, (_, d) => I.fullSet(dimDomain('ipv4', d as Dim))),
  ipv6: Array.from({ length: DIM_COUNT }, (_, d) => I.fullSet(dimDomain('ipv6', d as Dim))),
};

/**
 * A set of packets of one family: the union of its cubes. Cubes may overlap; every cube is
 * non-empty, so the set is empty exactly when it has no cube. Immutable.
 */
export class PacketSet {
  private constructor(
    readonly family: Family,
    readonly cubes: readonly Cube[],
  ) {}

  static empty(family: Family): PacketSet {
    return new PacketSet(family, []);
  }

  static all(family: Family): PacketSet {
    return new PacketSet(family, [FULL_CUBES[family]]);
  }

  /** The cube restricting only the given dimensions (others full). */
  static where(family: Family, constraints: Partial<Record<Dim, DimSet>>): PacketSet {
    const cube = FULL_CUBES[family].slice();
    for (const [k, v] of Object.entries(constraints)) {
      if (v === undefined) continue;
      if (v.length === 0) return PacketSet.empty(family);
      cube[Number(k)] = v;
    }
    return new PacketSet(family, [cube]);
  }

  /** `fromCubes(family, [cube])` without the filtered copy: one per rule of a 100,000-rule dump. */
  static ofCube(family: Family, cube: Cube): PacketSet {
    for (let d = 0; d < cube.length; d++) if (cube[d]!.length === 0) return new PacketSet(family, []);
    return new PacketSet(family, [cube]);
  }

  static fromCubes(family: Family, cubes: readonly Cube[]): PacketSet {
    return new PacketSet(
      family,
      cubes.filter((c) => c.every((d) => d.length > 0)),
    );
  }

  isEmpty(): boolean {
    return this.cubes.length === 0;
  }

  isAll(): boolean {
    return this.cubes.some((c) => c.every((d, i) => isFullDim(this.family, i as Dim, d)));
  }

  /**
   * The union of many sets at once: one merge of all their cubes instead of one per pair
   * (folding `union` over thousands of rule matches re-merges the growing result each time).
   */
  static unionAll(family: Family, sets: readonly PacketSet[]): PacketSet {
    // Counted, not filtered: a chain walk ends with four of these, most of none or one set.
    let first: PacketSet | null = null;
    let count = 0;
    for (const s of sets) {
      if (s.cubes.length === 0) continue;
      first ??= s;
      count++;
    }
    if (first === null) return PacketSet.empty(family);
    if (count === 1) return first;
    const cubes: Cube[] = [];
    for (const s of sets) for (const c of s.cubes) cubes.push(c);
    return new PacketSet(family, mergeCubes(cubes));
  }

  union(other: PacketSet): PacketSet {
    if (other.cubes.length === 0) return this;
    if (this.cubes.length === 0) return other;
    return new PacketSet(this.family, mergeCubes([...this.cubes, ...other.cubes]));
  }

  intersect(other: PacketSet): PacketSet {
    if (this.cubes.length === 0) return this;
    if (other.cubes.length === 0) return other;
    if (this.cubes.length === 1 && other.cubes.length === 1) {
      // One cube each (most rule tests): a cube already inside the match is kept as it is,
      // so a walker sees at once that the rule took all its packets (see intersectCubes).
      const c = intersectCubes(this.cubes[0]!, other.cubes[0]!);
      return c === null ? new PacketSet(this.family, []) : c === this.cubes[0] ? this : new PacketSet(this.family, [c]);
    }
    const out: Cube[] = [];
    for (const a of this.cubes) {
      for (const b of other.cubes) {
        const c = intersectCubes(a, b);
        if (c) out.push(c);
      }
    }
    return new PacketSet(this.family, out.length > 1 ? mergeCubes(out) : out);
  }

  /**
   * this − other. `merge: false` skips re-merging the pieces: for emptiness tests, where
   * the pieces are thrown away, merging costs more than it saves.
   */
  difference(other: PacketSet, options: { merge?: boolean } = {}): PacketSet {
    if (this.cubes.length === 0 || other.cubes.length === 0) return this;
    let pieces: Cube[] = this.cubes as Cube[];
    for (const b of other.cubes) {
      const next: Cube[] = [];
      for (const a of pieces) subtractCube(a, b, next);
      pieces = next;
      if (pieces.length === 0) break;
    }
    // Pieces peeled from one cube by one cube differ in two dimensions or more: nothing to merge.
    const single = this.cubes.length === 1 && other.cubes.length === 1;
    return new PacketSet(this.family, pieces.length > 1 && !single && options.merge !== false ? mergeCubes(pieces) : pieces);
  }

  intersects(other: PacketSet): boolean {
    for (const a of this.cubes) for (const b of other.cubes) if (intersectCubes(a, b)) return true;
    return false;
  }

  isSubsetOf(other: PacketSet): boolean {
    return this.difference(other).isEmpty();
  }

  /**
   * Whether both sets are written alike: the same cubes in the same order, dimension by
   * dimension. Equal sets then, told by comparing, with no subtraction (and no copy of a huge
   * dimension); sets written differently may still be equal.
   */
  sameCubesAs(other: PacketSet): boolean {
    if (this === other) return true;
    if (this.family !== other.family || this.cubes.length !== other.cubes.length) return false;
    for (let k = 0; k < this.cubes.length; k++) if (!sameCube(this.cubes[k]!, other.cubes[k]!)) return false;
    return true;
  }

  /**
   * How a one-cube match meets this one-cube set outside the source dimension: 'miss' when
   * they share no packet there, 'inside' when this set's cube lies inside the match there and
   * {@link intersect} keeps this set's own dimension sets (so this ∩ match is
   * `withSources(its sources)`, and this − match is too), else null.
   */
  meetOutsideSources(match: PacketSet): 'miss' | 'inside' | null {
    const a = this.cubes[0]!;
    const b = match.cubes[0]!;
    for (let d = 0; d < DIM_COUNT; d++) {
      if (d === Dim.Src) continue;
      const z = intersectDim(a[d]!, b[d]!, d);
      if (z.length === 0) return 'miss';
      if (z !== a[d]) return null;
    }
    return 'inside';
  }

  /** This one-cube set with its sources replaced (a new cube, as intersect and difference build it). */
  withSources(sources: DimSet): PacketSet {
    const cube = this.cubes[0]!.slice();
    cube[Dim.Src] = sources;
    return new PacketSet(this.family, [cube]);
  }

  /** Union of the values of one dimension over all cubes (the set's shadow on that axis). */
  project(dim: Dim): DimSet {
    if (this.cubes.length === 1) return this.cubes[0]![dim]!;
    return I.unionAll(this.cubes.map((c) => c[dim]!));
  }

  /**
   * The first `maxRanges` ranges of {@link project} (or more) and how many ranges it has, for
   * lists that print a few values and count the rest without building the whole shadow.
   */
  projectHead(dim: Dim, maxRanges: number): { head: DimSet; rangeCount: number } {
    if (this.cubes.length === 1) {
      const only = this.cubes[0]![dim]!;
      return { head: only, rangeCount: only.length / 2 };
    }
    return I.unionHead(this.cubes.map((c) => c[dim]!), maxRanges);
  }

  /** Replace one dimension of every cube (a NAT rewrite, a state change). */
  rewrite(dim: Dim, value: DimSet): PacketSet {
    if (value.length === 0) return PacketSet.empty(this.family);
    return new PacketSet(
      this.family,
      mergeCubes(this.cubes.map((c) => c.map((d, i) => (i === dim ? value : d)))),
    );
  }

  /** Restrict one dimension. */
  restrict(dim: Dim, value: DimSet): PacketSet {
    return this.intersect(PacketSet.where(this.family, { [dim]: value }));
  }

  /**
   * Key for memoisation: equal keys mean equal sets (small dimension sets are compared by
   * content, big ones by identity, so equal big sets built apart may get different keys:
   * a missed memo hit, never a wrong one).
   */
  key(): string {
    return this.cubes.map((c) => c.map(dimId).join(',')).sort().join(';');
  }
}

function isFullDim(family: Family, dim: Dim, set: DimSet): boolean {
  const full = FULL_CUBES[family][dim]!;
  return set === full || I.setsEqual(set, full);
}

/**
 * x ∩ y on dimension d, keeping x (or y) itself when the other is the full domain: most
 * dimensions of a rule's match are full, and a kept array keeps its interned id (see
 * dimId) instead of costing an allocation and a content lookup in every later merge.
 */
function intersectDim(x: DimSet, y: DimSet, d: number): DimSet {
  if (x === y || y === FULL_V4[d] || y === FULL_V6[d]) return x;
  if (x === FULL_V4[d] || x === FULL_V6[d]) return y;
  return I.intersect(x, y);
}

const FULL_V4 = FULL_CUBES.ipv4;
const FULL_V6 = FULL_CUBES.ipv6;

/** Reused by intersectCubes: most rule tests miss, and a miss then allocates no cube. */
const SCRATCH: DimSet[] = new Array(DIM_COUNT);

/** a ∩ b, or null when empty; `a` itself when it lies inside `b` (no copy, and callers can tell). */
function intersectCubes(a: Cube, b: Cube): Cube | null {
  if (a === b) return a;
  let inside = true;
  for (let d = 0; d < DIM_COUNT; d++) {
    const z = intersectDim(a[d]!, b[d]!, d);
    if (z.length === 0) return null;
    if (z !== a[d]) inside = false;
    SCRATCH[d] = z;
  }
  return inside ? a : SCRATCH.slice();
}

/**
 * a − b as disjoint cubes appended to `out`: peel one dimension at a time, keeping the
 * part of `a` outside `b` on that dimension, then narrowing to the inside and going on.
 */
function subtractCube(a: Cube, b: Cube, out: Cube[]): void {
  // Scratch arrays: neither escapes (each piece is a copy), and most calls miss or peel little.
  const inter = SUBTRACT_INTER;
  for (let d = 0; d < DIM_COUNT; d++) {
    const z = intersectDim(a[d]!, b[d]!, d);
    if (z.length === 0) {
      out.push(a);
      return;
    }
    inter[d] = z;
  }
  const rest = SUBTRACT_REST;
  for (let d = 0; d < DIM_COUNT; d++) rest[d] = a[d]!;
  for (let d = 0; d < DIM_COUNT; d++) {
    if (inter[d] === rest[d] || I.setsEqual(inter[d]!, rest[d]!)) continue;
    const outside = I.difference(rest[d]!, b[d]!);
    if (outside.length > 0) {
      const piece = rest.slice();
      piece[d] = outside;
      out.push(piece);
    }
    rest[d] = inter[d]!;
  }
}

// Filled, not holey: pieces are copies of SUBTRACT_REST and keep its elements kind, as copies of a cube did.
const SUBTRACT_INTER: DimSet[] = Array.from({ length: DIM_COUNT }, () => []);
const SUBTRACT_REST: DimSet[] = Array.from({ length: DIM_COUNT }, () => []);

/**
 * Merge cubes that differ in one dimension only (their union is then one cube), and drop
 * exact duplicates. Repeats until nothing merges; keeps unions of rule matches small.
 */
function mergeCubes(cubes: Cube[]): Cube[] {
  if (cubes.length < 2) return cubes;
  if (cubes.length <= FEW_CUBES) return mergeFewCubes(cubes);
  let list = cubes;
  // Each cube's dimension ids, looked up once per merge (not once per dimension and pass).
  let ids = list.map(cubeIds);
  for (let pass = 0; pass < 4; pass++) {
    let merged = false;
    for (let d = 0; d < DIM_COUNT && list.length > 1; d++) {
      // Cubes equal outside dimension d form one group; a group becomes one cube whose d is
      // the union of theirs, taken in one sort-and-merge (not folded pair by pair).
      const groups = groupEqualOutside(ids, d);
      if (groups.length === list.length) continue;
      merged = true;
      const nextList: Cube[] = [];
      const nextIds: number[][] = [];
      for (const g of groups) {
        const first = g[0]!;
        if (g.length === 1) {
          nextList.push(list[first]!);
          nextIds.push(ids[first]!);
          continue;
        }
        const next = list[first]!.slice();
        next[d] = I.unionAll(g.map((k) => list[k]![d]!));
        nextList.push(next);
        const nextId = ids[first]!.slice();
        nextId[d] = dimId(next[d]!);
        nextIds.push(nextId);
      }
      list = nextList;
      ids = nextIds;
    }
    if (!merged) break;
  }
  return list;
}

/** Up to this many cubes, merging compares them pair by pair: interning ids costs more than it saves. */
const FEW_CUBES = 8;

/**
 * {@link mergeCubes} for a few cubes, without ids: the same groups in the same order, so the
 * same cubes come out. Sets are compared as their ids compare them (see {@link sameDimId}).
 */
function mergeFewCubes(cubes: Cube[]): Cube[] {
  let list = cubes;
  for (let pass = 0; pass < 4; pass++) {
    let merged = false;
    for (let d = 0; d < DIM_COUNT && list.length > 1; d++) {
      // Most dimensions merge nothing: the next one that does is found by comparing each pair
      // once, without building groups (an intersect or union of a few cubes tried all eleven,
      // and those groups were half of a kube-proxy audit's garbage).
      d = nextMergingDim(list, d);
      if (d === DIM_COUNT) break;
      const groups = groupFewEqualOutside(list, d);
      merged = true;
      const next: Cube[] = [];
      for (const g of groups) {
        if (g.length === 1) {
          next.push(list[g[0]!]!);
          continue;
        }
        const cube = list[g[0]!]!.slice();
        cube[d] = I.unionAll(g.map((k) => list[k]![d]!));
        next.push(cube);
      }
      list = next;
    }
    if (!merged) break;
  }
  return list;
}

/**
 * The first dimension from `from` on outside which two of the cubes are equal (so that
 * {@link groupFewEqualOutside} groups some there), or DIM_COUNT when there is none: a pair
 * equal everywhere merges at any dimension, a pair differing in one dimension only merges
 * there, a pair differing in two or more never does.
 */
function nextMergingDim(list: readonly Cube[], from: number): number {
  let first = DIM_COUNT;
  for (let k = 1; k < list.length; k++) {
    const b = list[k]!;
    for (let j = 0; j < k; j++) {
      const a = list[j]!;
      let differs = -1;
      let d = 0;
      for (; d < DIM_COUNT; d++) {
        if (sameDimId(a[d]!, b[d]!)) continue;
        if (differs >= 0) break;
        differs = d;
      }
      if (d < DIM_COUNT) continue;
      if (differs < 0) return from;
      if (differs >= from && differs < first) first = differs;
    }
  }
  return first;
}

/** {@link groupEqualOutside} by pairwise comparison: each cube joins the first group whose first cube it equals outside `skip`. */
function groupFewEqualOutside(list: readonly Cube[], skip: number): number[][] {
  const groups: number[][] = [];
  for (let k = 0; k < list.length; k++) {
    const own = list[k]!;
    const group = groups.find((g) => cubesEqualOutside(list[g[0]!]!, own, skip));
    if (group) group.push(k);
    else groups.push([k]);
  }
  return groups;
}

function cubesEqualOutside(a: Cube, b: Cube, skip: number): boolean {
  for (let d = 0; d < DIM_COUNT; d++) if (d !== skip && !sameDimId(a[d]!, b[d]!)) return false;
  return true;
}

/**
 * Whether two sets get the same {@link dimId}: the same array, or equal contents when small
 * (a big set's id is its identity).
 */
function sameDimId(x: DimSet, y: DimSet): boolean {
  if (x === y) return true;
  if (x.length !== y.length || x.length > BIG_DIM_SET) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function cubeIds(c: Cube): number[] {
  const out = new Array<number>(DIM_COUNT);
  for (let d = 0; d < DIM_COUNT; d++) out[d] = dimId(c[d]!);
  return out;
}

/**
 * Interned id of a dimension set's contents, cached per (immutable) array: merging
 * compares cubes by these ids instead of re-serialising every boundary each time.
 */
const DIM_IDS = new WeakMap<DimSet, number>();
const IDS_BY_CONTENT = new Map<string, number>();
/** Ids of one-interval numeric sets, by low then high bound: no string built for the commonest set. */
const IDS_BY_INTERVAL = new Map<number, Map<number, number>>();
/** Distinct contents interned since the tables were last emptied (both tables together). */
let interned = 0;
let nextDimId = 1;

/** Sets with more boundaries than this get an id by identity, not by content. */
const BIG_DIM_SET = 64;

function dimId(set: DimSet): number {
  let id = DIM_IDS.get(set);
  if (id === undefined && set.length > BIG_DIM_SET) {
    // Big sets (a blocklist's complement) are compared by identity only: interning their
    // contents would keep megabytes of keys alive for a rare merge.
    id = nextDimId++;
    DIM_IDS.set(set, id);
  }
  if (id === undefined) {
    id = set.length === 2 && typeof set[0] === 'number' ? intervalId(set[0], set[1] as number) : contentId(set);
    DIM_IDS.set(set, id);
  }
  return id;
}

function intervalId(lo: number, hi: number): number {
  let byHigh = IDS_BY_INTERVAL.get(lo);
  let id = byHigh?.get(hi);
  if (id === undefined) {
    if (forgetIfFull()) byHigh = undefined;
    if (!byHigh) IDS_BY_INTERVAL.set(lo, (byHigh = new Map()));
    id = nextDimId++;
    byHigh.set(hi, id);
  }
  return id;
}

function contentId(set: DimSet): number {
  const content = set.length === 0 ? '' : typeof set[0] === 'string' ? JSON.stringify(set) : set.join(',');
  let id = IDS_BY_CONTENT.get(content);
  if (id === undefined) {
    forgetIfFull();
    id = nextDimId++;
    IDS_BY_CONTENT.set(content, id);
  }
  return id;
}

/** Bounded: the tables only speed merging up; forgetting ids never changes results. Counts the content about to be added. */
function forgetIfFull(): boolean {
  const full = interned > 1_000_000;
  if (full) {
    IDS_BY_CONTENT.clear();
    IDS_BY_INTERVAL.clear();
    interned = 0;
  }
  interned++;
  return full;
}

/**
 * Indexes of cubes equal on every dimension but `skip`, grouped in order of first
 * appearance (each group ascending). Cubes are bucketed by a 32-bit hash of their other
 * ids and compared id by id within a bucket: a string key per cube and dimension was most
 * of the cost of merging thousands of cubes.
 */
function groupEqualOutside(ids: readonly (readonly number[])[], skip: number): number[][] {
  const groups: number[][] = [];
  /** hash → the groups with that hash (almost always one). */
  const slot = new Map<number, number[] | number>();
  for (let k = 0; k < ids.length; k++) {
    const own = ids[k]!;
    let h = 0;
    for (let d = 0; d < DIM_COUNT; d++) if (d !== skip) h = (Math.imul(h, 0x01000193) ^ own[d]!) | 0;
    const at = slot.get(h);
    let found = -1;
    if (typeof at === 'number') {
      if (equalOutside(ids[groups[at]![0]!]!, own, skip)) found = at;
    } else if (at !== undefined) {
      for (const g of at) {
        if (equalOutside(ids[groups[g]![0]!]!, own, skip)) {
          found = g;
          break;
        }
      }
    }
    if (found >= 0) {
      groups[found]!.push(k);
      continue;
    }
    if (at === undefined) slot.set(h, groups.length);
    else if (typeof at === 'number') slot.set(h, [at, groups.length]);
    else at.push(groups.length);
    groups.push([k]);
  }
  return groups;
}

function equalOutside(a: readonly number[], b: readonly number[], skip: number): boolean {
  for (let d = 0; d < DIM_COUNT; d++) if (d !== skip && a[d] !== b[d]) return false;
  return true;
}

/** Helpers for building dimension sets. */
export function portSet(lo: number, hi: number): IntervalSet<number> {
  return I.range(lo, hi + 1);
}

export function ifaceSet(patterns: readonly string[]): IntervalSet<string> {
  return I.fromRanges(patterns.map(ifacePatternRange));
}

/**
 * iptables and nft write "eth+" / "eth*" for every name starting with "eth": the
 * lexicographic range [prefix, prefix with its last character incremented).
 */
export function ifacePatternRange(pattern: string): [string, string] {
  const wildcard = pattern.endsWith('+') || pattern.endsWith('*');
  if (!wildcard) return [pattern, pattern + '\u0000'];
  const prefix = pattern.slice(0, -1);
  if (prefix === '') return [IFACE_DOMAIN.min, IFACE_DOMAIN.max];
  const last = prefix.charCodeAt(prefix.length - 1);
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)];
}

export type { AddrSet };

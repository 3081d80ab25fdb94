/**
 * Sets of values over one totally ordered domain, as sorted, disjoint, half-open ranges.
 *
 * One implementation serves every dimension of a packet: IPv4 addresses and ports are
 * `number`s, IPv6 addresses are `bigint`s, interface names are `string`s (so that the
 * iptables wildcard `eth+` is the lexicographic range ["eth", "eti")). Half-open ranges
 * mean no operation ever needs a successor function, which strings do not have.
 *
 * @module
 */

import { type Carving, carvingOf, grownFrom, insideByLineage, noteCarved, noteGrown } from './interval-set-lineage.js';
import { rememberUnion, rememberedHoles, rememberedUnion } from './interval-set-memo.js';

/** A value of some ordered domain; JavaScript's `<` orders each of these types. */
export type Ordinal = number | bigint | string;

/**
 * Flat, immutable list of boundaries `[lo0, hi0, lo1, hi1, …]`: the set holds every x with
 * lo_i <= x < hi_i. Boundaries strictly increase, so ranges never touch or overlap and
 * every set has exactly one representation (equality is element-wise comparison).
 *
 * A huge set of numbers may be a Float64Array instead (see {@link HugeNumbers}): read it by
 * index and length, or with this module's functions, never with array-only methods.
 */
export type IntervalSet<T extends Ordinal> = readonly T[] | HugeNumbers<T>;

/**
 * A set of 16,384 boundaries or more of numbers, or an edit of one (a walk's sources, the
 * Internet minus a blocklist, cut by a listener's rules): its boundaries in a Float64Array, whose storage lies
 * outside the JavaScript heap. A copy of a plain array of 120,000 doubles is a large object of
 * its own: fresh pages from the kernel and, with the CLI's 1 MB young generation, a scavenge
 * (~3.4 ms on this VM); the same copy into a typed array reuses freed memory (~0.75 ms), and
 * the scavenger never copies it (issue 8). Only numbers are held so, and only this module
 * builds them.
 */
export type HugeNumbers<T extends Ordinal> = Readonly<Float64Array> & ArrayLike<T>;

/** Whether a set is held in a typed array (see {@link HugeNumbers}). */
export function isHugeNumbers<T extends Ordinal>(set: IntervalSet<T>): set is HugeNumbers<T> {
  return ArrayBuffer.isView(set);
}

/** Bounds of a domain: every value x of it satisfies min <= x < max. */
export interface Domain<T extends Ordinal> {
  readonly min: T;
  readonly max: T;
}

export function emptySet<T extends Ordinal>(): IntervalSet<T> {
  return [];
}

export function fullSet<T extends Ordinal>(domain: Domain<T>): IntervalSet<T> {
  return [domain.min, domain.max];
}

/** The set [lo, hi); empty when lo >= hi. */
export function range<T extends Ordinal>(lo: T, hi: T): IntervalSet<T> {
  return lo < hi ? [lo, hi] : [];
}

export function isEmpty<T extends Ordinal>(set: IntervalSet<T>): boolean {
  return set.length === 0;
}

/**
 * How many values a set of numbers holds (ports, protocols, IPv4 addresses), counted only
 * until the count passes `limit`: then some number above it.
 */
export function valueCount(set: IntervalSet<number>, limit = Infinity): number {
  let n = 0;
  for (let k = 0; k < set.length && n <= limit; k += 2) n += set[k + 1]! - set[k]!;
  return n;
}

export function isFull<T extends Ordinal>(set: IntervalSet<T>, domain: Domain<T>): boolean {
  return set.length === 2 && set[0] === domain.min && set[1] === domain.max;
}

export function contains<T extends Ordinal>(set: IntervalSet<T>, value: T): boolean {
  // Inside iff an odd number of boundaries lie at or below the value (the last one is a start).
  return (boundariesBelow(set, value, true) & 1) === 1;
}

/** How many boundaries of `set` lie below `value` (or at it too, when `orAt`): one binary search. */
function boundariesBelow<T extends Ordinal>(set: IntervalSet<T>, value: T, orAt: boolean): number {
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const b = set[mid]!;
    if (b < value || (orAt && b === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * How many boundaries of `set` lie in the closed span of some range of `cut` (counted once
 * per range): what cutting `cut` out of `set` would copy, without doing it.
 */
export function boundariesWithin<T extends Ordinal>(set: IntervalSet<T>, cut: IntervalSet<T>): number {
  let n = 0;
  for (let k = 0; k < cut.length; k += 2) n += boundariesBelow(set, cut[k + 1]!, true) - boundariesBelow(set, cut[k]!, false);
  return n;
}

export function setsEqual<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type Combine = (inA: boolean, inB: boolean) => boolean;
const UNION: Combine = (a, b) => a || b;
const INTERSECT: Combine = (a, b) => a && b;
const DIFFERENCE: Combine = (a, b) => a && !b;

/**
 * How many boundaries `a` and `b` share at their start, rounded down to an even count so that a
 * sweep of the rest starts outside both sets. Sets built from one another (a blocklist's
 * complement and the same with one more hole) share all but a few.
 */
function sharedHead<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>): number {
  if (isHugeNumbers(a) && isHugeNumbers(b)) return sharedHeadTyped(a, b);
  const n = Math.min(a.length, b.length);
  let head = 0;
  while (head < n && a[head] === b[head]) head++;
  return head - (head & 1);
}

/**
 * How many boundaries `a` and `b` share at their end, not overlapping the shared head. Both
 * lists have even lengths, so the tail starts in the same state in both, whatever its length.
 */
function sharedTail<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>, head: number): number {
  if (isHugeNumbers(a) && isHugeNumbers(b)) return sharedTailTyped(a, b, head);
  const n = Math.min(a.length, b.length);
  let tail = 0;
  while (tail < n - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return tail;
}

/*
 * The loops below over two huge sets, apart for typed arrays: a loop that reads typed and
 * plain arrays alike (and the plain arrays of numbers, bigints and strings) reads each
 * element through a slower generic path, and these run over whole sets (issue 8).
 */

function sharedHeadTyped(a: ArrayLike<Ordinal>, b: ArrayLike<Ordinal>): number {
  const x = a as Float64Array;
  const y = b as Float64Array;
  const n = Math.min(x.length, y.length);
  let head = 0;
  while (head < n && x[head] === y[head]) head++;
  return head - (head & 1);
}

function sharedTailTyped(a: ArrayLike<Ordinal>, b: ArrayLike<Ordinal>, head: number): number {
  const x = a as Float64Array;
  const y = b as Float64Array;
  const n = Math.min(x.length, y.length);
  let tail = 0;
  while (tail < n - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  return tail;
}

/**
 * Sweep both boundary lists in order; emit a boundary wherever the combined membership
 * changes. Each boundary toggles membership of its own set, so simultaneous toggles at one
 * point are applied together before the combined state is read (this is what merges
 * touching ranges).
 *
 * Ranges both lists start or end with are copied, not swept: sets built from one another (a
 * walk's outcome with and without one hole, each the Internet minus a 200,000-prefix
 * blocklist) share almost all of their boundaries. Common ranges are the answer's own for a
 * union or an intersection and drop out of a difference; what lies between them lies
 * strictly between the common head and tail in both sets, so the pieces join canonically.
 */
function combine<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>, op: Combine): IntervalSet<T> {
  const head = sharedHead(a, b);
  const tail = sharedTail(a, b, head);
  const middle = swept(a, head, a.length - tail, b, head, b.length - tail, op);
  if (op === DIFFERENCE || (head === 0 && tail === 0)) return isHugeNumbers(middle) ? middle : settle(middle as T[]);
  // The answer is one of the operands (a set and a copy with one more hole): that operand, no copy.
  if (sameAt(middle, a, head, a.length - tail)) return a;
  if (sameAt(middle, b, head, b.length - tail)) return b;
  return splice(a, head, a.length - tail, middle);
}

/** Whether `middle` equals set[from..to). */
function sameAt<T extends Ordinal>(middle: IntervalSet<T>, set: IntervalSet<T>, from: number, to: number): boolean {
  if (middle.length !== to - from) return false;
  for (let k = 0; k < middle.length; k++) if (middle[k] !== set[from + k]) return false;
  return true;
}

/** Boundaries this many or fewer are passed to a native splice as arguments. */
const MAX_SPREAD = 4096;

/**
 * `set` with its boundaries [start, end) replaced by `middle`, in one native copy when the
 * middle is small: a blocklist's complement edited near one address (a rule's hole, a near
 * copy merged back) was two slices and their concatenation, three fresh arrays of its size,
 * and fresh pages cost more than the copying (issue 8).
 */
function splice<T extends Ordinal>(set: IntervalSet<T>, start: number, end: number, middle: IntervalSet<T>): IntervalSet<T> {
  const length = set.length - (end - start) + middle.length;
  if (isHugeNumbers(set) || isHugeNumbers(middle) || (length >= TYPED_MIN && typeof set[0] === 'number')) {
    const out = new Float64Array(length);
    copyInto(out, 0, set as IntervalSet<number>, 0, start);
    out.set(middle as ArrayLike<number>, start);
    copyInto(out, start + middle.length, set as IntervalSet<number>, end, set.length);
    return out as unknown as HugeNumbers<T>;
  }
  if (middle.length <= MAX_SPREAD) return (set as unknown as { toSpliced(start: number, count: number, ...items: T[]): T[] }).toSpliced(start, end - start, ...middle);
  return set.slice(0, start).concat(middle, set.slice(end));
}

/** A list this module built, in a typed array when it is a huge set of numbers. */
function settle<T extends Ordinal>(out: T[]): IntervalSet<T> {
  return out.length >= TYPED_MIN && typeof out[0] === 'number' ? (Float64Array.from(out as number[]) as unknown as HugeNumbers<T>) : out;
}

/** set[from..to): a typed array's slice is a typed array. */
function sliceOf<T extends Ordinal>(set: IntervalSet<T>, from: number, to: number): IntervalSet<T> {
  return set.slice(from, to) as IntervalSet<T>;
}

/**
 * Sets of numbers this long or longer are edited into a typed array ({@link HugeNumbers}).
 * 4,096, not 16,384 (issue 8): a 10,000-rule host's listener walks copied ~12,000-boundary
 * sources as JS arrays (40 % of the analysis' allocation), and the scavenger copied them
 * again; a typed array's payload stays outside the JS heap. 1,024 gained nothing more.
 */
const TYPED_MIN = 4096;

/** set[from..to) copied into `out` at `at`: natively from a typed array, else element by element. */
function copyInto(out: Float64Array, at: number, set: IntervalSet<number>, from: number, to: number): void {
  if (isHugeNumbers(set)) out.set(set.subarray(from, to), at);
  else for (let k = from; k < to; k++) out[at++] = set[k]!;
}

/**
 * The concatenation of `pieces` (already in order, neither touching nor overlapping): a typed
 * array when any piece is one ([].concat would take a typed array as one element).
 */
function joinPieces<T extends Ordinal>(pieces: readonly IntervalSet<T>[]): IntervalSet<T> {
  if (pieces.length === 1) return pieces[0]!;
  let length = 0;
  for (const p of pieces) length += p.length;
  if (!pieces.some(isHugeNumbers) && (length < TYPED_MIN || typeof pieces[0]![0] !== 'number')) return ([] as T[]).concat(...(pieces as T[][]));
  const out = new Float64Array(length);
  let at = 0;
  for (const p of pieces) {
    copyInto(out, at, p as IntervalSet<number>, 0, p.length);
    at += p.length;
  }
  return out as unknown as HugeNumbers<T>;
}

/**
 * The sweep of {@link combine} over a[i..iEnd) and b[j..jEnd), as a list of its own. With a
 * huge set of numbers among them, both are swept as typed arrays (see sweepTyped) into a
 * scratch array every such sweep reuses, then copied out at the answer's size: a typed array
 * when huge, as settle makes it.
 */
function swept<T extends Ordinal>(a: IntervalSet<T>, i: number, iEnd: number, b: IntervalSet<T>, j: number, jEnd: number, op: Combine): IntervalSet<T> {
  // Lists of a few numbers (ports, protocols) are swept as they are: copying them costs more.
  if (!isHugeNumbers(a) && !isHugeNumbers(b)) {
    const out: T[] = [];
    sweep(a, i, iEnd, b, j, jEnd, op, out);
    return out;
  }
  const most = iEnd - i + (jEnd - j);
  if (scratch.length < most) scratch = new Float64Array(Math.max(most, 2 * scratch.length));
  const n = sweepTyped(typedPart(a as IntervalSet<number>, i, iEnd), typedPart(b as IntervalSet<number>, j, jEnd), op, scratch);
  const out = n >= TYPED_MIN ? scratch.slice(0, n) : Array.from(scratch.subarray(0, n));
  return out as unknown as IntervalSet<T>;
}

/** set[from..to) as a Float64Array: a view of a typed array, a copy of a plain list. */
function typedPart(set: IntervalSet<number>, from: number, to: number): Float64Array {
  if (isHugeNumbers(set)) return (set as Float64Array).subarray(from, to);
  const out = new Float64Array(to - from);
  for (let k = from; k < to; k++) out[k - from] = set[k]!;
  return out;
}

/**
 * {@link sweep} of two whole typed arrays into `out`: a loop that reads only Float64Arrays
 * keeps its values unboxed, while the generic sweep boxed every number it read from a typed
 * array (200 MB of heap numbers over nft-set-100000's walk, most of its scavenges; issue 8).
 * It repeats sweep's loop on purpose: one loop over both kinds of list would be the generic one.
 */
function sweepTyped(x: Float64Array, y: Float64Array, op: Combine, out: Float64Array): number {
  const iEnd = x.length;
  const jEnd = y.length;
  let i = 0;
  let j = 0;
  let n = 0;
  let inA = false;
  let inB = false;
  let state = false;
  while (i < iEnd || j < jEnd) {
    if (i < iEnd && j < jEnd && x[i] === y[j]) {
      // A run of shared boundaries: see sweep.
      let k = 1;
      while (i + k < iEnd && j + k < jEnd && x[i + k] === y[j + k]) k++;
      if (op(!inA, !inB) !== state) for (let m = 0; m < k; m++) out[n++] = x[i + m]!;
      i += k;
      j += k;
      if (k & 1) {
        inA = !inA;
        inB = !inB;
        state = op(inA, inB);
      }
      continue;
    }
    const point = j >= jEnd || (i < iEnd && x[i]! < y[j]!) ? x[i]! : y[j]!;
    if (i < iEnd && x[i] === point) {
      inA = !inA;
      i++;
    }
    if (j < jEnd && y[j] === point) {
      inB = !inB;
      j++;
    }
    const next = op(inA, inB);
    if (next !== state) {
      out[n++] = point;
      state = next;
    }
  }
  return n;
}

/** Reused by {@link swept}: its pages stay mapped, while fresh ones cost ~2.6 ms per MB on this VM (issue 8). */
let scratch = new Float64Array(4096);

/** The sweep of {@link combine} over a[i..iEnd) and b[j..jEnd), from outside both sets, appended to `out`. */
function sweep<T extends Ordinal>(a: IntervalSet<T>, i: number, iEnd: number, b: IntervalSet<T>, j: number, jEnd: number, op: Combine, out: T[]): void {
  let inA = false;
  let inB = false;
  let state = false;
  while (i < iEnd || j < jEnd) {
    if (i < iEnd && j < jEnd && a[i] === b[j]) {
      // A run of boundaries both lists share (a blocklist and its complement, merged back
      // into one cube): each toggles both memberships, so the combined state either flips at
      // every point (all are boundaries of the answer) or never does. One tight loop.
      let k = 1;
      while (i + k < iEnd && j + k < jEnd && a[i + k] === b[j + k]) k++;
      if (op(!inA, !inB) !== state) for (let x = 0; x < k; x++) out.push(a[i + x]!);
      i += k;
      j += k;
      if (k & 1) {
        inA = !inA;
        inB = !inB;
        state = op(inA, inB);
      }
      continue;
    }
    let point: T;
    if (j >= jEnd || (i < iEnd && a[i]! < b[j]!)) point = a[i]!;
    else point = b[j]!;
    if (i < iEnd && a[i] === point) {
      inA = !inA;
      i++;
    }
    if (j < jEnd && b[j] === point) {
      inB = !inB;
      j++;
    }
    const next = op(inA, inB);
    if (next !== state) {
      out.push(point);
      state = next;
    }
  }
}

/** First index k (even) in [from, to) whose range ends after `value` (else `to`): ranges before it lie wholly below. */
function firstRangeEndingAfter<T extends Ordinal>(set: IntervalSet<T>, value: T, from = 0, to = set.length): number {
  if (isHugeNumbers(set)) return firstRangeEndingAfterTyped(set, value as number, from, to);
  let lo = from >> 1;
  let hi = to >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (set[2 * mid + 1]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** {@link firstRangeEndingAfter} in a typed array (see sharedHeadTyped). */
function firstRangeEndingAfterTyped(set: ArrayLike<Ordinal>, value: number, from: number, to: number): number {
  const x = set as Float64Array;
  let lo = from >> 1;
  let hi = to >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[2 * mid + 1]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** First index k (even) at or after `from` whose range starts at or after `value`. */
function firstRangeStartingFrom<T extends Ordinal>(set: IntervalSet<T>, value: T, from: number): number {
  if (isHugeNumbers(set)) return firstRangeStartingFromTyped(set, value as number, from);
  let lo = from >> 1;
  let hi = set.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (set[2 * mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** {@link firstRangeStartingFrom} in a typed array (see sharedHeadTyped). */
function firstRangeStartingFromTyped(set: ArrayLike<Ordinal>, value: number, from: number): number {
  const x = set as Float64Array;
  let lo = from >> 1;
  let hi = x.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[2 * mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/**
 * The part of `set` within [lo, hi), found by binary search: operations between a huge set
 * (a blocklist's complement, thousands of ranges) and a small one then cost the small one's
 * size, not the huge one's.
 */
function clip<T extends Ordinal>(set: IntervalSet<T>, lo: T, hi: T): IntervalSet<T> {
  if (set.length === 0 || (lo <= set[0]! && set[set.length - 1]! <= hi)) return set;
  const start = firstRangeEndingAfter(set, lo);
  const end = firstRangeStartingFrom(set, hi, start);
  if (start >= end) return [];
  const out = set.slice(start, end) as T[];
  if (out[0]! < lo) out[0] = lo;
  if (out[out.length - 1]! > hi) out[out.length - 1] = hi;
  return out;
}

/** Sets this much bigger than the other operand are clipped before combining. */
const CLIP_RATIO = 8;

/**
 * At most this many ranges in the small operand: it is applied range by range (binary searches
 * and native slices of the big set) instead of by a sweep over the big set's span.
 */
const FEW_RANGES = 32;

/**
 * `big` ∩ `small` for a small set of few ranges: each range of `small` cuts its piece out of
 * `big` by binary search and a native slice. A service's sources behind a blocklist are the
 * Internet minus tens of thousands of holes; intersecting them with an interface's or a slice's
 * few ranges then copies the array instead of sweeping it in JavaScript. The ranges of `small`
 * neither touch nor overlap, so neither do the pieces: their concatenation is canonical.
 */
function clipEach<T extends Ordinal>(big: IntervalSet<T>, small: IntervalSet<T>): IntervalSet<T> {
  if (small.length === 0) return [];
  // The usual case when a walk's memoised outcome is cut back to the slice it came from.
  if (isSubset(big, small)) return big;
  let only: IntervalSet<T> | null = null;
  let pieces: IntervalSet<T>[] | null = null;
  for (let k = 0; k < small.length; k += 2) {
    const piece = clip(big, small[k]!, small[k + 1]!);
    if (piece.length === 0) continue;
    if (only === null) only = piece;
    else (pieces ??= [only]).push(piece);
  }
  if (only === null) return [];
  return pieces === null ? only : joinPieces(pieces);
}

/**
 * A piece of `big` ∪ `small` as unionEach lays it out: boundaries `from` to `to` of `big`
 * copied as they are, or a range that merges ranges of `small` and `big`.
 */
type UnionPiece<T extends Ordinal> = { readonly from: number; readonly to: number } | { lo: T; hi: T };

/**
 * `big` ∪ `small` for a small set of few ranges: each range of `small` swallows the ranges of
 * `big` it overlaps or touches (found by binary search) and the rest of `big` is copied by
 * native slices. A decision's sources are the union of its cubes' sources, one of them the
 * Internet minus a 200,000-prefix blocklist: a sweep over the span of a wide small range would
 * walk most of the blocklist in JavaScript. When every range of `small` already lies inside a
 * range of `big`, the answer is `big` itself.
 */
function unionEach<T extends Ordinal>(big: IntervalSet<T>, small: IntervalSet<T>): IntervalSet<T> {
  if (isSubset(small, big)) return big;
  const patched = narrowPatch(big, small, UNION, true);
  if (patched !== null) return patched;
  const pieces = unionEachPieces(big, small).map((p): IntervalSet<T> => ('from' in p ? sliceOf(big, p.from, p.to) : [p.lo, p.hi]));
  return joinPieces(pieces);
}

/** The pieces of `big` ∪ `small`, in order; a few per range of `small`, whatever the size of `big`. */
function unionEachPieces<T extends Ordinal>(big: IntervalSet<T>, small: IntervalSet<T>): UnionPiece<T>[] {
  const pieces: UnionPiece<T>[] = [];
  let merged: { lo: T; hi: T } | null = null; // the last piece when it is a merged range
  let cursor = 0; // big's ranges before this index are in the pieces already
  for (let k = 0; k < small.length; k += 2) {
    const lo = small[k]!;
    const hi = small[k + 1]!;
    let start = firstRangeEndingAfter(big, lo);
    if (start >= 2 && big[start - 1] === lo) start -= 2; // a range ending at lo touches: merge it
    if (start < cursor) start = cursor;
    let end = firstRangeStartingFrom(big, hi, start);
    if (end < big.length && big[end] === hi) end += 2; // a range starting at hi touches
    if (cursor < start) {
      pieces.push({ from: cursor, to: start });
      merged = null;
    }
    const mergedLo = start < end && big[start]! < lo ? big[start]! : lo;
    const mergedHi = start < end && big[end - 1]! > hi ? big[end - 1]! : hi;
    // Ranges of big can bridge two ranges of small: then the two merged ranges are one.
    if (merged !== null && merged.hi >= mergedLo) {
      if (mergedHi > merged.hi) merged.hi = mergedHi;
    } else {
      merged = { lo: mergedLo, hi: mergedHi };
      pieces.push(merged);
    }
    if (end > cursor) cursor = end;
  }
  if (cursor < big.length) pieces.push({ from: cursor, to: big.length });
  return pieces;
}

/**
 * The first `maxRanges` ranges of the union of `sets` (or more) and the number of ranges the
 * union has. Evidence lists print a few prefixes of a decision's sources and count the rest:
 * when the union is one huge set plus a few ranges, it is laid out in pieces and only its head
 * is copied, instead of a fresh copy of a 400,000-boundary blocklist complement per decision.
 * Equal sets count once, and two huge sets (a walk's sources with and without one rule's
 * hole, cubes apart) are merged without building their union.
 */
export function unionHead<T extends Ordinal>(sets: readonly IntervalSet<T>[], maxRanges: number): { head: IntervalSet<T>; rangeCount: number } {
  const distinct = distinctSets(sets);
  if (distinct.length <= 1) {
    const only = distinct[0] ?? [];
    return { head: only, rangeCount: only.length / 2 };
  }
  let big: IntervalSet<T> = [];
  for (const s of distinct) if (s.length > big.length) big = s;
  const small = unionAll(distinct.filter((s) => s !== big));
  const known = unionByLineage(big, small);
  if (known !== null) return { head: known, rangeCount: known.length / 2 };
  if (isSubset(small, big)) return { head: big, rangeCount: big.length / 2 };
  if (big.length <= CLIP_RATIO * small.length || small.length > 2 * FEW_RANGES) {
    if (distinct.length === 2) return unionHeadOfTwo(distinct[0]!, distinct[1]!, maxRanges);
    const all = unionAll(distinct);
    return { head: all, rangeCount: all.length / 2 };
  }
  const head: T[] = [];
  let rangeCount = 0;
  for (const p of unionEachPieces(big, small)) {
    const from = 'from' in p ? p.from : 0;
    const to = 'from' in p ? p.to : 2;
    rangeCount += (to - from) / 2;
    const wanted = 2 * maxRanges - head.length;
    if (wanted <= 0) continue;
    if ('from' in p) for (let k = from; k < to && k < from + wanted; k++) head.push(big[k]!);
    else head.push(p.lo, p.hi);
  }
  return { head, rangeCount };
}

/** Above this many sets, only empty and identical ones are dropped (equality tests grow as the square). */
const FEW_SETS = 64;

/** The non-empty sets, each content once (the first array that holds it). */
function distinctSets<T extends Ordinal>(sets: readonly IntervalSet<T>[]): IntervalSet<T>[] {
  const out: IntervalSet<T>[] = [];
  const byContent = sets.length <= FEW_SETS;
  next: for (const s of sets) {
    if (s.length === 0) continue;
    for (const t of out) if (t === s || (byContent && setsEqual(t, s))) continue next;
    out.push(s);
  }
  return out;
}

/**
 * {@link unionHead} of two sets as {@link combine} would lay out their union (the common head,
 * the swept middle, the common tail), with only the first `maxRanges` ranges copied.
 */
function unionHeadOfTwo<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>, maxRanges: number): { head: IntervalSet<T>; rangeCount: number } {
  const head = sharedHead(a, b);
  const tail = sharedTail(a, b, head);
  const middle = swept(a, head, a.length - tail, b, head, b.length - tail, UNION);
  const length = head + middle.length + tail;
  const out: T[] = [];
  const tailFrom = a.length - tail - head - middle.length; // index in `a` of the union's boundary k in the tail, minus k
  for (let k = 0; k < length && k < 2 * maxRanges; k++) out.push(k < head ? a[k]! : k < head + middle.length ? middle[k - head]! : a[tailFrom + k]!);
  return { head: out, rangeCount: length / 2 };
}

/**
 * `small` − `big` for a small set of few ranges: within a range [lo, hi) of `small`, the holes
 * of `big` are bounded by big's own boundaries there, plus lo and hi, so each range costs a
 * binary search and a native slice. The complement of a blocklist (the Internet minus 200,000
 * prefixes) is then a copy instead of a sweep in JavaScript. The ranges of `small` neither
 * touch nor overlap, so neither do the pieces: their concatenation is canonical.
 */
function holesEach<T extends Ordinal>(small: IntervalSet<T>, big: IntervalSet<T>): IntervalSet<T> {
  const pieces: IntervalSet<T>[] = [];
  for (let k = 0; k < small.length; k += 2) {
    const lo = small[k]!;
    const hi = small[k + 1]!;
    const start = firstRangeEndingAfter(big, lo);
    const end = firstRangeStartingFrom(big, hi, start);
    if (start >= end) {
      pieces.push([lo, hi]);
      continue;
    }
    // big's ranges start … end − 2 meet [lo, hi): the holes lie before the first, between
    // them (the ends and starts strictly inside, a native slice), and after the last.
    if (big[start]! > lo) pieces.push([lo, big[start]!]);
    if (end - start > 2) pieces.push(sliceOf(big, start + 1, end - 1));
    if (big[end - 1]! < hi) pieces.push([big[end - 1]!, hi]);
  }
  return pieces.length === 0 ? [] : joinPieces(pieces);
}

/**
 * `small` − `big` by {@link holesEach}, noted as carved from `small`, so that a union with what
 * holds `big` is known to refill it (issue 8).
 */
function carvedHoles<T extends Ordinal>(small: IntervalSet<T>, big: IntervalSet<T>): IntervalSet<T> {
  const out = holesEach(small, big);
  noteCarved(out, small, big);
  return out;
}

/**
 * The ranges of [lo, hi) that `small` leaves out, so that `big` − `small` = clipEach(big, gaps)
 * when [lo, hi) spans `big`. Gaps between ranges that neither touch nor overlap are never empty.
 */
function gapsWithin<T extends Ordinal>(small: IntervalSet<T>, lo: T, hi: T): IntervalSet<T> {
  const out: T[] = [];
  let cursor = lo;
  for (let k = 0; k < small.length; k += 2) {
    const start = small[k]!;
    const end = small[k + 1]!;
    if (end <= cursor) continue;
    if (start >= hi) break;
    if (start > cursor) out.push(cursor, start);
    cursor = end;
  }
  if (cursor < hi) out.push(cursor, hi);
  return out;
}

/**
 * Combine a huge set with a small one by recombining only the huge set's ranges near the
 * small one's span, copying the rest as it is (native slices instead of a full sweep).
 * `touching` includes ranges that merely touch the span, as a union must.
 */
function patch<T extends Ordinal>(big: IntervalSet<T>, small: IntervalSet<T>, op: Combine, touching: boolean): IntervalSet<T> {
  return patchAt(big, small, op, patchRegion(big, small, touching));
}

/** `big` with its boundaries [start, end) recombined with `small`; nothing changed: `big` itself. */
function patchAt<T extends Ordinal>(big: IntervalSet<T>, small: IntervalSet<T>, op: Combine, [start, end]: [number, number]): IntervalSet<T> {
  const middle = combine(sliceOf(big, start, end), small, op);
  return sameAt(middle, big, start, end) ? big : splice(big, start, end, middle);
}

/**
 * The boundaries [start, end) of `big`'s ranges that meet the span of `small` (or touch it,
 * when `touching`): all that a patch recombines.
 */
function patchRegion<T extends Ordinal>(big: IntervalSet<T>, small: IntervalSet<T>, touching: boolean): [number, number] {
  const lo = small[0]!;
  const hi = small[small.length - 1]!;
  let start = firstRangeEndingAfter(big, lo);
  if (touching && start >= 2 && big[start - 1] === lo) start -= 2;
  let end = firstRangeStartingFrom(big, hi, start);
  if (touching && end < big.length && big[end] === hi) end += 2;
  return [start, end];
}

/** At most this many boundaries of a huge set under a small one's span: one patch, not a cut per range. */
const NARROW_REGION = 64;

/**
 * `big` op `small` by one patch when only a few of big's ranges lie under small's span (a rule's
 * address or prefix cut out of a blocklist's complement), else null. Nothing changed: `big` itself.
 */
function narrowPatch<T extends Ordinal>(big: IntervalSet<T>, small: IntervalSet<T>, op: Combine, touching: boolean): IntervalSet<T> | null {
  const region = patchRegion(big, small, touching);
  return region[1] - region[0] > NARROW_REGION ? null : patchAt(big, small, op, region);
}

export function union<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>): IntervalSet<T> {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const known = rememberedUnion(a, b);
  if (known !== undefined) return known;
  const out = unionOfTwo(a, b);
  noteGrown(out, a, b);
  rememberUnion(a, b, out);
  return out;
}

/** {@link union} of two non-empty sets, not yet noted as grown from them. */
function unionOfTwo<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>): IntervalSet<T> {
  const known = unionByLineage(a, b);
  if (known !== null) return known;
  if (a.length > CLIP_RATIO * b.length) return b.length <= 2 * FEW_RANGES ? unionEach(a, b) : patch(a, b, UNION, true);
  if (b.length > CLIP_RATIO * a.length) return a.length <= 2 * FEW_RANGES ? unionEach(b, a) : patch(b, a, UNION, true);
  return combine(a, b, UNION);
}

export function intersect<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>): IntervalSet<T> {
  if (a.length === 0 || b.length === 0) return [];
  // Fast path for the overwhelmingly common single-range operands.
  if (a.length === 2 && b.length === 2) {
    const lo = a[0]! < b[0]! ? b[0]! : a[0]!;
    const hi = a[1]! < b[1]! ? a[1]! : b[1]!;
    if (lo < hi) {
      if (lo === a[0] && hi === a[1]) return a;
      if (lo === b[0] && hi === b[1]) return b;
      return [lo, hi];
    }
    return [];
  }
  // One range spanning all of the other set: the other set is the answer, no copy.
  if (b.length === 2 && b[0]! <= a[0]! && a[a.length - 1]! <= b[1]!) return a;
  if (a.length === 2 && a[0]! <= b[0]! && b[b.length - 1]! <= a[1]!) return b;
  // One set inside the other (most often equal ones: a walk's conntrack states, input
  // interfaces): that set itself, no copy, so a cube inside a match is seen to be inside
  // (packet-set's intersectCubes). A test costs its set's size × log, so a huge set is not
  // tested against a small one (the clipped paths below keep that at the small one's size).
  // b carved out of a: the test of a ⊆ b below would sweep both to fail. Lengths that differ
  // mean a ⊄ b, so b is what the tests below return too (issue 8).
  if (a.length !== b.length && a.length <= CLIP_RATIO * b.length && b.length <= CLIP_RATIO * a.length && insideByLineage(b, a)) return b;
  if (a.length <= CLIP_RATIO * b.length && isSubset(a, b)) return a;
  if (b.length <= CLIP_RATIO * a.length && isSubset(b, a)) return b;
  if (a.length > CLIP_RATIO * b.length) return b.length <= 2 * FEW_RANGES ? clipEach(a, b) : combine(clip(a, b[0]!, b[b.length - 1]!), b, INTERSECT);
  if (b.length > CLIP_RATIO * a.length) return a.length <= 2 * FEW_RANGES ? clipEach(b, a) : combine(a, clip(b, a[0]!, a[a.length - 1]!), INTERSECT);
  return combine(a, b, INTERSECT);
}

export function difference<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>): IntervalSet<T> {
  if (a.length === 0 || b.length === 0) return a;
  // Only the part of b over a's span can remove anything.
  if (b.length > CLIP_RATIO * a.length) {
    if (a.length > 2 * FEW_RANGES) return combine(a, clip(b, a[0]!, a[a.length - 1]!), DIFFERENCE);
    // A few ranges minus a blocklist (the Internet minus 110,000 ranges): remembered, since
    // every listener's walk asks it again (issue 8).
    return rememberedHoles(a, b, carvedHoles);
  }
  if (a.length > CLIP_RATIO * b.length) {
    // Holes spread over a's span (an interface's few ranges) would make one patch sweep it all.
    const out = b.length <= 2 * FEW_RANGES ? (narrowPatch(a, b, DIFFERENCE, false) ?? clipEach(a, gapsWithin(b, a[0]!, a[a.length - 1]!))) : patch(a, b, DIFFERENCE, false);
    if (out !== a) noteCarved(out, a, b);
    return out;
  }
  return combine(a, b, DIFFERENCE);
}

/**
 * a ∪ b when how they were built tells it without a sweep (one inside the other, or a carving
 * refilled), else null. Of two sets one inside the other, the outer one is the answer; when
 * their lengths are equal they are equal, and the others paths' choice of operand stands.
 */
function unionByLineage<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>): IntervalSet<T> | null {
  if (a.length !== b.length) {
    if (insideByLineage(a, b)) return b;
    if (insideByLineage(b, a)) return a;
  }
  return refill(a, b) ?? refill(b, a);
}

/**
 * `carved` ∪ `other` when `carved` was carved out of a parent and `other` holds everything
 * carved away: (parent − removed) ∪ other = parent ∪ other once removed ⊆ other, and that
 * union is the parent itself (no copy) when other ⊆ parent. Null when nothing is known.
 */
function refill<T extends Ordinal>(carved: IntervalSet<T>, other: IntervalSet<T>): IntervalSet<T> | null {
  const carving = carvingOf(carved);
  if (!carving || !removedIsHeld(carving, other)) return null;
  return union(carving.parent, other);
}

/**
 * Whether `other` holds what a carving removed: known when `other` was grown from the whole
 * cut, else tested piece by piece when the cut is the smaller operand. A cut as big as a
 * blocklist is never searched (100,000 binary searches cost more than the sweep they spare).
 */
function removedIsHeld<T extends Ordinal>(carving: Carving<T>, other: IntervalSet<T>): boolean {
  if (grownFrom(other, carving.cut)) return true;
  return carving.cut.length <= carving.parent.length && meetIsSubset(carving.parent, carving.cut, other);
}

/**
 * (a ∩ cut) ⊆ other, without building a ∩ cut: each piece of `a` under a range of `cut` must
 * lie inside one range of `other`, found by binary search.
 */
function meetIsSubset<T extends Ordinal>(a: IntervalSet<T>, cut: IntervalSet<T>, other: IntervalSet<T>): boolean {
  for (let c = 0; c < cut.length; c += 2) {
    const lo = cut[c]!;
    const hi = cut[c + 1]!;
    for (let k = firstRangeEndingAfter(a, lo); k < a.length && a[k]! < hi; k += 2) {
      const pieceLo = a[k]! < lo ? lo : a[k]!;
      const pieceHi = a[k + 1]! > hi ? hi : a[k + 1]!;
      const j = firstRangeEndingAfter(other, pieceLo);
      if (j >= other.length || other[j]! > pieceLo || other[j + 1]! < pieceHi) return false;
    }
  }
  return true;
}

export function complement<T extends Ordinal>(set: IntervalSet<T>, domain: Domain<T>): IntervalSet<T> {
  return difference(fullSet(domain), set);
}

export function intersects<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>): boolean {
  if (a.length === 0 || b.length === 0) return false;
  if (a.length > CLIP_RATIO * b.length) a = clip(a, b[0]!, b[b.length - 1]!);
  else if (b.length > CLIP_RATIO * a.length) b = clip(b, a[0]!, a[a.length - 1]!);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    // ranges [a[i], a[i+1]) and [b[j], b[j+1])
    if (a[i + 1]! <= b[j]!) i += 2;
    else if (b[j + 1]! <= a[i]!) j += 2;
    else return true;
  }
  return false;
}

/**
 * a ⊆ b, without building the difference: each range of a must lie inside one range of b,
 * found by binary search, so a catch-all tested against 50,000 bans answers at once.
 */
export function isSubset<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>): boolean {
  if (a.length === 0 || a === b) return true;
  if (b.length === 0) return false;
  if (insideByLineage(a, b)) return true;
  if (a.length <= CLIP_RATIO * b.length && b.length <= CLIP_RATIO * a.length) return isSubsetAlike(a, b);
  if (a.length > CLIP_RATIO * b.length) {
    // A huge set against a few ranges: no gap between those ranges (and nothing outside their
    // span) may meet a range of `a`; one binary search per gap, not one per range of `a`.
    if (a[0]! < b[0]! || a[a.length - 1]! > b[b.length - 1]!) return false;
    for (let k = 1; k + 1 < b.length; k += 2) {
      const i = firstRangeEndingAfter(a, b[k]!);
      if (i < a.length && a[i]! < b[k + 1]!) return false;
    }
    return true;
  }
  for (let k = 0; k < a.length; k += 2) {
    const j = firstRangeEndingAfter(b, a[k]!);
    if (j >= b.length || b[j]! > a[k]! || b[j + 1]! < a[k + 1]!) return false;
  }
  return true;
}

/**
 * {@link isSubset} for sets of like sizes, most often built from one another (a walk's sources
 * before and after a rule cut one address out): ranges both start or end with are each
 * other's, so only the ranges of `a` between them are searched for, in the part of `b`
 * between them (b's ranges before lie below them, after above them).
 */
function isSubsetAlike<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>): boolean {
  const head = sharedHead(a, b);
  let tail = sharedTail(a, b, head);
  tail -= tail & 1;
  const bEnd = b.length - tail;
  for (let k = head; k < a.length - tail; k += 2) {
    const j = firstRangeEndingAfter(b, a[k]!, head, bEnd);
    if (j >= bEnd || b[j]! > a[k]! || b[j + 1]! < a[k + 1]!) return false;
  }
  return true;
}

/**
 * Union of many sets in one sort-and-merge: every range is sorted once by its start and
 * swept, so 50,000 single-address sets cost n log n, not the n² of folding them one by one.
 */
export function unionAll<T extends Ordinal>(sets: readonly IntervalSet<T>[]): IntervalSet<T> {
  let nonEmpty = 0;
  let only: IntervalSet<T> = [];
  for (const s of sets) {
    if (s.length > 0) {
      nonEmpty++;
      only = s;
    }
  }
  if (nonEmpty <= 1) return only;
  if (nonEmpty === 2) {
    const [a, b] = sets.filter((s) => s.length > 0);
    return union(a!, b!);
  }
  const folded = unionOfFewHuge(sets);
  if (folded) return folded;
  if (typeof only[0] === 'number') return settle(unionAllNumeric(sets as readonly IntervalSet<number>[]) as unknown as T[]);
  const los: T[] = [];
  const his: T[] = [];
  for (const s of sets) {
    for (let k = 0; k < s.length; k += 2) {
      los.push(s[k]!);
      his.push(s[k + 1]!);
    }
  }
  const order = Array.from({ length: los.length }, (_, i) => i);
  order.sort((x, y) => (los[x]! < los[y]! ? -1 : los[x]! > los[y]! ? 1 : 0));
  const out: T[] = [];
  for (const i of order) {
    const lo = los[i]!;
    const hi = his[i]!;
    // Ranges touching the last one (lo == its end) merge too: boundaries must strictly increase.
    if (out.length > 0 && lo <= out[out.length - 1]!) {
      if (hi > out[out.length - 1]!) out[out.length - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

/** A set with this many boundaries or more is huge to {@link unionOfFewHuge}. */
const HUGE = 1024;
/** Up to this many huge sets are folded pairwise; more are sorted with the rest. */
const FEW_HUGE = 8;

/**
 * unionAll of a few huge sets and any number of small ones, or null: the huge ones (a walk's
 * sources, the Internet minus a 60,000-address blocklist, and near-copies of it cubes apart)
 * folded by {@link union}, whose shared heads and tails and patches copy them natively, and
 * the small ones merged apart and patched in. Sorting every range of every copy was most of a
 * 100,000-rule audit once its walk stopped copying (issue 8).
 */
function unionOfFewHuge<T extends Ordinal>(sets: readonly IntervalSet<T>[]): IntervalSet<T> | null {
  let huge = 0;
  for (const s of sets) if (s.length >= HUGE && ++huge > FEW_HUGE) return null;
  if (huge === 0) return null;
  const big = sets.filter((s) => s.length >= HUGE).sort((a, b) => b.length - a.length);
  let out = big[0]!;
  for (let k = 1; k < big.length; k++) out = union(out, big[k]!);
  const small = sets.filter((s) => s.length > 0 && s.length < HUGE);
  return small.length === 0 ? out : union(out, unionAll(small));
}

/**
 * unionAll over numbers: the bounds go straight into typed arrays (no growing lists), and
 * the merge takes fromBounds' shortcuts: a blocklist's 100,000 single addresses are ranges of
 * one width, so only their starts are sorted, as 32-bit integers (issue 8).
 */
function unionAllNumeric(sets: readonly IntervalSet<number>[]): number[] {
  let n = 0;
  for (const s of sets) n += s.length >> 1;
  const los = new Float64Array(n);
  const his = new Float64Array(n);
  let m = 0;
  for (const s of sets) {
    for (let k = 0; k < s.length; k += 2) {
      los[m] = s[k]!;
      his[m++] = s[k + 1]!;
    }
  }
  return fromNumericBounds(los, his);
}

/** The ranges of a set as [lo, hi) pairs. */
export function* ranges<T extends Ordinal>(set: IntervalSet<T>): Generator<[T, T]> {
  for (let k = 0; k < set.length; k += 2) yield [set[k]!, set[k + 1]!];
}

/**
 * Union of number ranges [los[i], his[i]) by sorting starts and ends apart (native numeric
 * sorts of typed arrays, no comparator) and sweeping: a boundary opens where the count of
 * open ranges leaves 0 and closes where it returns to 0. At equal values starts go first,
 * so touching ranges merge, as boundaries must strictly increase.
 */
function mergeNumeric(los: ArrayLike<number>, his: ArrayLike<number>): number[] {
  const starts = Float64Array.from(los).sort();
  const ends = Float64Array.from(his).sort();
  const out: number[] = [];
  let open = 0;
  let i = 0;
  let j = 0;
  while (i < starts.length) {
    if (starts[i]! <= ends[j]!) {
      if (open++ === 0) out.push(starts[i]!);
      i++;
    } else {
      if (--open === 0) out.push(ends[j]!);
      j++;
    }
  }
  // Every start is placed; the last range closes at the largest end.
  if (open > 0) out.push(ends[ends.length - 1]!);
  return out;
}

/** Build a set from arbitrary (possibly overlapping, unsorted) half-open ranges. */
export function fromRanges<T extends Ordinal>(pairs: Iterable<readonly [T, T]>): IntervalSet<T> {
  const all = Array.isArray(pairs) ? (pairs as readonly (readonly [T, T])[]) : [...pairs];
  if (all.length > 16 && all.every(([lo, hi]) => typeof lo === 'number' && typeof hi === 'number')) {
    const kept = all.filter(([lo, hi]) => lo < hi);
    return settle(mergeNumeric(kept.map((p) => p[0] as number), kept.map((p) => p[1] as number)) as unknown as T[]);
  }
  const list = all.filter(([lo, hi]) => lo < hi).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out: T[] = [];
  for (const [lo, hi] of list) {
    if (out.length > 0 && lo <= out[out.length - 1]!) {
      if (hi > out[out.length - 1]!) out[out.length - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

/**
 * Build a set from ranges given as two parallel lists, range i being [los[i], his[i])
 * (empty ranges allowed): what big sets are parsed into, so that a million ranges never
 * become a million pairs. Numbers take the typed-array merge.
 */
export function fromBounds<T extends Ordinal>(los: ArrayLike<T>, his: ArrayLike<T>): IntervalSet<T> {
  if (los.length !== his.length) throw new RangeError(`fromBounds: ${los.length} starts but ${his.length} ends`);
  if (los.length > 16 && typeof los[0] === 'number') return settle(fromNumericBounds(los as ArrayLike<number>, his as ArrayLike<number>) as unknown as T[]);
  if (los.length > 16 && typeof los[0] === 'bigint') {
    const merged = fromOneWidthBigintBounds(los as ArrayLike<bigint>, his as ArrayLike<bigint>);
    if (merged) return merged as unknown as T[];
  }
  const pairs: [T, T][] = [];
  for (let k = 0; k < los.length; k++) pairs.push([los[k]!, his[k]!]);
  return fromRanges(pairs);
}

/**
 * Two shapes of big sets skip work: ranges already in order (nft prints interval sets
 * sorted) need no sort at all, and ranges of one width (a hash:ip set's addresses) need
 * their starts sorted only, since their ends then sort the same way. Starts that are all
 * 32-bit unsigned integers (IPv4 addresses) sort as a Uint32Array, about twice as fast.
 */
function fromNumericBounds(los: ArrayLike<number>, his: ArrayLike<number>): number[] {
  const n = los.length;
  let sorted = true;
  let u32 = true;
  let width: number | null = his[0]! - los[0]!;
  for (let k = 0; k < n; k++) {
    const lo = los[k]!;
    if (!(lo < his[k]!)) return mergeNonEmpty(los, his);
    if (k > 0 && lo < los[k - 1]!) sorted = false;
    if (width !== null && his[k]! - lo !== width) width = null;
    if (lo >>> 0 !== lo) u32 = false;
  }
  if (sorted) return sweepSorted(los, his);
  if (width === null) return mergeNumeric(los, his);
  const starts = u32 ? Uint32Array.from(los).sort() : Float64Array.from(los).sort();
  // Written by index into a list of the largest size it can need, then cut: a million
  // pushes grew the list step by step.
  const out: number[] = new Array<number>(2 * n);
  let m = 0;
  for (let k = 0; k < n; k++) {
    const lo = starts[k]!;
    const hi = lo + width;
    if (m > 0 && lo <= out[m - 1]!) out[m - 1] = hi;
    else {
      out[m++] = lo;
      out[m++] = hi;
    }
  }
  out.length = m;
  return out;
}

/**
 * Non-empty bigint ranges of one width (an IPv6 hash:ip set's addresses): the starts sorted
 * alone, then one sweep; null for any other shape (the general path then merges pairs).
 */
function fromOneWidthBigintBounds(los: ArrayLike<bigint>, his: ArrayLike<bigint>): bigint[] | null {
  const n = los.length;
  const width = his[0]! - los[0]!;
  if (width <= 0n) return null;
  for (let k = 0; k < n; k++) if (his[k]! - los[k]! !== width) return null;
  const starts = Array.from(los).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: bigint[] = [];
  for (let k = 0; k < n; k++) {
    const lo = starts[k]!;
    const hi = lo + width;
    if (out.length > 0 && lo <= out[out.length - 1]!) out[out.length - 1] = hi;
    else out.push(lo, hi);
  }
  return out;
}

/** Ranges sorted by start: one sweep, touching and overlapping ranges merged. */
function sweepSorted(los: ArrayLike<number>, his: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let k = 0; k < los.length; k++) {
    const lo = los[k]!;
    const hi = his[k]!;
    if (out.length > 0 && lo <= out[out.length - 1]!) {
      if (hi > out[out.length - 1]!) out[out.length - 1] = hi;
    } else out.push(lo, hi);
  }
  return out;
}

/** Empty ranges dropped, then the general merge. */
function mergeNonEmpty(los: ArrayLike<number>, his: ArrayLike<number>): number[] {
  const keptLos: number[] = [];
  const keptHis: number[] = [];
  for (let k = 0; k < los.length; k++) {
    if (los[k]! < his[k]!) {
      keptLos.push(los[k]!);
      keptHis.push(his[k]!);
    }
  }
  return mergeNumeric(keptLos, keptHis);
}

/** Set of the given integer points (numbers), e.g. ports or protocol numbers. */
export function fromPoints(points: Iterable<number>): IntervalSet<number> {
  return fromRanges([...points].map((p) => [p, p + 1] as const));
}

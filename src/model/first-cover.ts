/**
 * Which of a list of interval sets covers each value first: the parts a walk cuts out of its
 * packets when consecutive rules each remove a few sources (issue 8). Rule i takes
 * `cuts[i]` minus what earlier rules took, and all of them together take the union; one
 * sort-and-sweep answers both, where cutting rule by rule copied the walk's remaining
 * sources (the Internet minus a 60,000-address blocklist) once per rule.
 *
 * @module
 */
import type { IntervalSet, Ordinal } from './interval-set.js';

export interface FirstCover<T extends Ordinal> {
  /**
   * Per set, the values it holds and no earlier set holds (canonical interval sets). A note
   * (see {@link firstCover}) holds the values it has that no earlier set that is not a note holds.
   */
  owned: IntervalSet<T>[];
  /** The union of all the sets but the notes. */
  union: IntervalSet<T>;
}

/**
 * Sweep every range's bounds in order, with the ranges covering the current point in a heap
 * keyed by set index: between two consecutive bounds, the lowest index covering the point
 * owns the piece. O(R log R) for R ranges in all.
 *
 * `notes[i]` true makes set i a note: it sees the values that reach it but takes none (a LOG
 * rule among rules that cut sources: the packets go on to the next rule). A piece then also
 * goes to every note covering it below the lowest covering set that is not a note.
 */
export function firstCover<T extends Ordinal>(sets: readonly IntervalSet<T>[], notes?: readonly boolean[]): FirstCover<T> {
  const los: T[] = [];
  const his: T[] = [];
  const owners: number[] = [];
  for (let s = 0; s < sets.length; s++) {
    const set = sets[s]!;
    for (let k = 0; k < set.length; k += 2) {
      los.push(set[k]!);
      his.push(set[k + 1]!);
      owners.push(s);
    }
  }
  const order = Array.from(los, (_, r) => r).sort((a, b) => compare(los[a]!, los[b]!));
  const points = [...los, ...his].sort(compare);
  const owned: T[][] = sets.map(() => []);
  const union: T[] = [];
  const heap = new RangeHeap<T>(owners, his);
  const noteHeap = new RangeHeap<T>(owners, his);
  const seen: number[] = [];
  let next = 0;
  for (let p = 0; p < points.length; p++) {
    const x = points[p]!;
    if (p > 0 && points[p - 1] === x) continue;
    while (next < order.length && los[order[next]!]! <= x) {
      const r = order[next++]!;
      (notes?.[owners[r]!] === true ? noteHeap : heap).push(r);
    }
    heap.dropEndedBy(x);
    noteHeap.dropEndedBy(x);
    if (heap.isEmpty() && noteHeap.isEmpty()) continue;
    // The piece [x, y) up to the next distinct bound belongs to the lowest covering set.
    let q = p + 1;
    while (q < points.length && points[q] === x) q++;
    if (q === points.length) break;
    const y = points[q]!;
    const taker = heap.isEmpty() ? Infinity : owners[heap.top()]!;
    if (!noteHeap.isEmpty()) {
      noteHeap.coveringBelow(taker, x, seen);
      for (const r of seen) append(owned[owners[r]!]!, x, y);
    }
    if (taker === Infinity) continue;
    append(owned[taker]!, x, y);
    append(union, x, y);
  }
  return { owned, union };
}

/** Add [lo, hi) at the end of a canonical list, joining a range that ends at lo. */
function append<T extends Ordinal>(out: T[], lo: T, hi: T): void {
  if (out.length > 0 && out[out.length - 1] === lo) out[out.length - 1] = hi;
  else out.push(lo, hi);
}

function compare<T extends Ordinal>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Ranges (by index) ordered by their set's index, then their own; ranges that ended are
 * removed lazily, when they reach the top (only the top's end matters to the sweep).
 */
class RangeHeap<T extends Ordinal> {
  private readonly items: number[] = [];
  private readonly stack: number[] = [];

  constructor(
    private readonly owners: readonly number[],
    private readonly his: readonly T[],
  ) {}

  isEmpty(): boolean {
    return this.items.length === 0;
  }

  top(): number {
    return this.items[0]!;
  }

  /**
   * Into `out` (emptied first): the ranges still covering `x` whose set is below `limit`, each
   * once. The heap order prunes every subtree whose root's set is `limit` or more.
   */
  coveringBelow(limit: number, x: T, out: number[]): void {
    out.length = 0;
    const items = this.items;
    // One stack for every call: a logged blocklist asks at each of its pieces.
    const stack = this.stack;
    stack.length = 0;
    if (items.length > 0) stack.push(0);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const r = items[i]!;
      if (this.owners[r]! >= limit) continue;
      // A range that ended stays until it reaches the top; its subtree may still cover x.
      if (this.his[r]! > x) out.push(r);
      if (2 * i + 1 < items.length) stack.push(2 * i + 1);
      if (2 * i + 2 < items.length) stack.push(2 * i + 2);
    }
  }

  /** Pop the top while it ends at or before x. */
  dropEndedBy(x: T): void {
    while (this.items.length > 0 && this.his[this.items[0]!]! <= x) this.pop();
  }

  push(r: number): void {
    const items = this.items;
    let i = items.length;
    items.push(r);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(r, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = r;
  }

  private pop(): void {
    const items = this.items;
    const last = items.pop()!;
    if (items.length === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= items.length) break;
      if (child + 1 < items.length && this.less(items[child + 1]!, items[child]!)) child++;
      if (!this.less(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
  }

  private less(a: number, b: number): boolean {
    const oa = this.owners[a]!;
    const ob = this.owners[b]!;
    return oa < ob || (oa === ob && a < b);
  }
}

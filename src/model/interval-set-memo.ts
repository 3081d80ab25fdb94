/**
 * Unions of two huge interval sets remembered by the identity of their operands, when the
 * answer costs nothing to keep: one of the operands, or a set of a few ranges. Every listener's
 * slice ends its walk by unioning the same two huge sets (what a blocklist chain dropped and
 * the Internet minus it, 201,000 boundaries each, into the whole Internet): on nft-set-100000
 * that was 770 repeats of 12 unions, each a lineage check of 531 binary searches or a sweep
 * (issue 8). Sets are never edited once built, so the same operands mean the same answer.
 *
 * Keys are held weakly: a remembered answer lives no longer than its operands, so the memo
 * needs no bound and outlives no analysis. A huge answer that is new (a copy) is never kept,
 * but for the complement of a blocklist ({@link rememberedHoles}).
 *
 * @module
 */
import type { IntervalSet, Ordinal } from './interval-set.js';

/** Operands this big or bigger are remembered: smaller ones are cheaper to combine again. */
export const MEMO_MIN = 1024;
/** Answers of at most this many boundaries are kept (besides the operands themselves). */
const SMALL_ANSWER = 64;

const unions = new WeakMap<IntervalSet<Ordinal>, WeakMap<IntervalSet<Ordinal>, IntervalSet<Ordinal>>>();

/** The remembered a ∪ b, if any. */
export function rememberedUnion<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>): IntervalSet<T> | undefined {
  if (a.length < MEMO_MIN || b.length < MEMO_MIN) return undefined;
  return unions.get(a)?.get(b) as IntervalSet<T> | undefined;
}

/** Remember that a ∪ b is `out`, when keeping it costs nothing (see the module's note). */
export function rememberUnion<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>, out: IntervalSet<T>): void {
  if (a.length < MEMO_MIN || b.length < MEMO_MIN) return;
  if (out !== a && out !== b && out.length > SMALL_ANSWER) return;
  let byRight = unions.get(a);
  if (!byRight) unions.set(a, (byRight = new WeakMap()));
  byRight.set(b, out);
}

/** How many small left operands are remembered per blocklist (a walk meets one or two: the whole domain, an interface's). */
const HOLES_PER_SET = 8;

const holes = new WeakMap<IntervalSet<Ordinal>, Map<string, IntervalSet<Ordinal>>>();

/**
 * The key of a small left operand of numbers or bigints (one type per blocklist, so the digits
 * alone cannot collide); null for strings, which may hold the separator.
 */
function smallKey<T extends Ordinal>(a: IntervalSet<T>): string | null {
  return typeof a[0] === 'string' ? null : Array.prototype.join.call(a, ',');
}

/**
 * a − b, `make(a, b)` the first time, then remembered by b's identity and a's bounds, for a of
 * a few ranges and b a huge set (the whole domain minus a 200,000-prefix blocklist): every
 * listener's walk takes the same difference, and the answer is a copy of b's holes. Kept
 * (unlike a huge union) because rebuilding it per walk costs more than holding one per
 * blocklist: an IPv6 blocklist is an array of BigInts, copied twice per walk and scanned by
 * every collection while it lives (issue 8).
 */
export function rememberedHoles<T extends Ordinal>(a: IntervalSet<T>, b: IntervalSet<T>, make: (a: IntervalSet<T>, b: IntervalSet<T>) => IntervalSet<T>): IntervalSet<T> {
  const key = b.length < MEMO_MIN ? null : smallKey(a);
  if (key === null) return make(a, b);
  let byLeft = holes.get(b);
  const known = byLeft?.get(key);
  if (known !== undefined) return known as IntervalSet<T>;
  const out = make(a, b);
  if (!byLeft) holes.set(b, (byLeft = new Map()));
  if (byLeft.size >= HOLES_PER_SET) byLeft.clear();
  byLeft.set(key, out);
  return out;
}

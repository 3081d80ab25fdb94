/**
 * Unions of two huge interval sets remembered by the identity of their operands, when the
 * answer costs nothing to keep: one of the operands, or a set of a few ranges. Every listener's
 * slice ends its walk by unioning the same two huge sets (what a blocklist chain dropped and
 * the Internet minus it, 201,000 boundaries each, into the whole Internet): on nft-set-100000
 * that was 770 repeats of 12 unions, each a lineage check of 531 binary searches or a sweep
 * (issue 8). Sets are never edited once built, so the same operands mean the same answer.
 *
 * Keys are held weakly: a remembered answer lives no longer than its operands, so the memo
 * needs no bound and outlives no analysis. A huge answer that is new (a copy) is never kept.
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

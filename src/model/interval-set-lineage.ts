/**
 * What a huge interval set is known to be made of: carved out of another set, or grown as the
 * union of others. A walk builds its huge sets from one another (the Internet minus a
 * blocklist, a listener's few sources carved out of that, the blocklist and a chain's bans
 * unioned into what it dropped) and later combines them back; knowing how they were built
 * answers a subset test, or skips a union, without reading them (issue 8). Everything noted
 * here is a fact about contents, so a set that is not noted is only slower, never different.
 *
 * @module
 */
import type { IntervalSet, Ordinal } from './interval-set.js';

/** Sets this big or bigger remember what they were built from: smaller ones are cheap to read. */
export const LINEAGE_MIN = 1024;
/**
 * At most this many steps are remembered back from a set: each keeps the huge set it was built
 * from alive (a walk's sources, carved by a chain, then by the chain it jumps to). At 4,
 * nft-set-100000 peaked 20-40 MB higher; 2 keeps iptables-100000's gain.
 */
const MAX_DEPTH = 2;

/**
 * A set made by cutting `cut` out of `parent`: the set is parent − (parent ∩ cut). What was
 * removed, parent ∩ cut, is never built: a walk's cut can be wide (a rule's /8 among a
 * listener's sources), and then it is a copy of most of the parent. The cut is the huge one
 * when a small set loses a blocklist (the Internet minus 110,000 ranges).
 */
export interface Carving<T extends Ordinal> {
  readonly parent: IntervalSet<T>;
  readonly cut: IntervalSet<T>;
  readonly depth: number;
}

const carvings = new WeakMap<IntervalSet<Ordinal>, Carving<Ordinal>>();

/** Remember that `out` is `parent` − `cut` (see {@link Carving}). */
export function noteCarved<T extends Ordinal>(out: IntervalSet<T>, parent: IntervalSet<T>, cut: IntervalSet<T>): void {
  if (out.length < LINEAGE_MIN) return;
  // A small parent (the Internet, losing a blocklist) costs nothing to keep: it starts no count.
  const depth = parent.length < LINEAGE_MIN ? 0 : (carvings.get(parent)?.depth ?? 0) + 1;
  if (depth > MAX_DEPTH) return;
  carvings.set(out, { parent, cut, depth } as Carving<Ordinal>);
}

/** How `set` was carved, if it was and that was noted. */
export function carvingOf<T extends Ordinal>(set: IntervalSet<T>): Carving<T> | undefined {
  return set.length < LINEAGE_MIN ? undefined : (carvings.get(set) as Carving<T> | undefined);
}

/**
 * Whether `set` was carved out of `ancestor` (one or two carvings back), hence lies inside it:
 * a walk intersects its sources after a cut with the sources before it, and comparing the two
 * 120,000-boundary sets to find that out was most of iptables-100000's subset tests.
 */
export function carvedFrom<T extends Ordinal>(set: IntervalSet<T>, ancestor: IntervalSet<T>): boolean {
  // Only sets this big are noted: every other subset test skips the WeakMap.
  if (set.length < LINEAGE_MIN) return false;
  for (let c = carvings.get(set); c !== undefined; c = carvings.get(c.parent)) if (c.parent === ancestor) return true;
  return false;
}

/** A set made as the union of others: each of its huge `parts` lies inside it. */
interface Growth {
  readonly parts: readonly IntervalSet<Ordinal>[];
  readonly depth: number;
}

const growths = new WeakMap<IntervalSet<Ordinal>, Growth>();

/**
 * Remember that `out` is `a` ∪ `b`, so that each of them lies inside it. A chain's dropped
 * packets are its blocklist and its bans unioned; a listener's walk ends by unioning them with
 * the Internet minus that blocklist minus those bans, which is the whole Internet once the
 * blocklist is known to lie inside (see interval-set's refill).
 */
export function noteGrown<T extends Ordinal>(out: IntervalSet<T>, a: IntervalSet<T>, b: IntervalSet<T>): void {
  if (out.length < LINEAGE_MIN || out === a || out === b) return;
  let depth = 1;
  const parts: IntervalSet<Ordinal>[] = [];
  for (const part of [a, b]) {
    if (part.length < LINEAGE_MIN) continue;
    parts.push(part);
    const below = growths.get(part)?.depth ?? 0;
    if (below + 1 > depth) depth = below + 1;
  }
  if (parts.length === 0 || depth > MAX_DEPTH) return;
  growths.set(out, { parts, depth });
}

/** Whether `inner` ⊆ `outer` is known from how either was built (see {@link carvedFrom}, {@link grownFrom}). */
export function insideByLineage<T extends Ordinal>(inner: IntervalSet<T>, outer: IntervalSet<T>): boolean {
  return carvedFrom(inner, outer) || grownFrom(outer, inner);
}

/** Whether `set` is `part` or was grown from it (one or two unions back), hence holds it. */
export function grownFrom<T extends Ordinal>(set: IntervalSet<T>, part: IntervalSet<T>): boolean {
  if (set === part) return true;
  if (set.length < LINEAGE_MIN || part.length < LINEAGE_MIN) return false;
  const growth = growths.get(set);
  if (growth === undefined) return false;
  for (const p of growth.parts) if (p === part || grownFrom(p as IntervalSet<T>, part)) return true;
  return false;
}

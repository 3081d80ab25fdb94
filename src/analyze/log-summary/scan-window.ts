/**
 * Scanner detection for one source: at least N distinct ports within any W-millisecond
 * window (sliding: the window ending at t holds the attempts at times in (t − W, t]).
 *
 * The definition is over the set of stamped attempts, not over the order of the lines: a
 * log that goes back in time (a clock step, the hour repeated when daylight saving time
 * ends, two hosts' logs interleaved) counts as the same attempts sorted by time. That makes
 * the answer independent of how the log is cut into parts for worker threads.
 *
 * A source keeps, per port, its **spans**: runs of attempts whose gaps are all under W. A
 * span [s, e] puts its port into every window ending in [s, e + W), and spans of one port
 * whose gap is W or more cover disjoint times, so the number of distinct ports in the window
 * ending at t is the number of spans covering t. The count only rises at a span start, so
 * the first detection is at the first span start where it reaches N (a sweep over sorted
 * span starts and ends). Spans of parts merge by interval union per port, which does not
 * depend on where the parts were cut.
 *
 * Memory: the fold forgets spans no later window can need (fold.ts, pruneSpans), which is
 * exact as long as no line is stamped more than REORDER_HORIZON_MS before a line above it in
 * the same input. Rejected: keeping only the last time per port (the old design: a line
 * stamped before a port's last time was counted inside the window, so the answer depended on
 * the cut); keeping every span (exact for any order, but memory grows with the log).
 *
 * @module
 */

export interface ScanParams {
  /** Distinct ports that make a scanner. */
  ports: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

/** Spans as a flat array of [start, end, port key] triples (no object per span). */
export type Spans = number[];

/**
 * The canonical form of `spans`: per port, sorted and merged where a gap is under W.
 * Returns the new triples and, per port key, the index of its latest span.
 */
export function coalesceSpans(spans: Spans, windowMs: number): { spans: Spans; latest: Map<number, number> } {
  const order: number[] = [];
  for (let i = 0; i < spans.length; i += 3) order.push(i);
  order.sort((a, b) => spans[a + 2]! - spans[b + 2]! || spans[a]! - spans[b]!);
  const out: Spans = [];
  const latest = new Map<number, number>();
  for (const i of order) {
    const start = spans[i]!;
    const end = spans[i + 1]!;
    const key = spans[i + 2]!;
    const last = latest.get(key);
    if (last !== undefined && start - out[last + 1]! < windowMs) {
      if (end > out[last + 1]!) out[last + 1] = end;
      continue;
    }
    latest.set(key, out.length);
    out.push(start, end, key);
  }
  return { spans: out, latest };
}

/**
 * The first time a window holds `params.ports` distinct ports, from canonical spans (see
 * {@link coalesceSpans}); null when none does.
 */
export function detectFromSpans(spans: ArrayLike<number>, params: ScanParams): number | null {
  if (spans.length / 3 < params.ports) return null;
  // Events: +1 at a span start, −1 at its end + W; at equal times the −1 goes first (half-open).
  const events: number[] = [];
  for (let i = 0; i < spans.length; i += 3) events.push(spans[i]!, 1, spans[i + 1]! + params.windowMs, -1);
  const order: number[] = [];
  for (let i = 0; i < events.length; i += 2) order.push(i);
  order.sort((a, b) => events[a]! - events[b]! || events[a + 1]! - events[b + 1]!);
  let active = 0;
  for (const i of order) {
    active += events[i + 1]!;
    if (active >= params.ports) return events[i]!;
  }
  return null;
}

/**
 * Scanner detection for one source: at least N distinct ports within any W-millisecond
 * window (sliding: two attempts are in one window when their times differ by less than W).
 *
 * The fold keeps each source's last time per port; the ports in the window ending at an
 * attempt are those whose last time is less than W before it, and the count can only reach
 * N at an attempt whose port was not already in the window, so it is counted only then (and
 * never for a source with fewer than N ports in all). For merging, a fold over a part of the
 * log also keeps the first occurrence of each port within W of the source's first attempt
 * (`head`) and the last occurrence of each port within W of its last attempt (`tail`). A window that crosses from part A into part B holds
 * exactly the ports whose last time in A and first time in B fall inside it, so stitching
 * A.tail with B.head finds every scan that a single pass would, and parts read in parallel
 * merge exactly (given each input is in time order, as syslog writes it).
 *
 * @module
 */

export interface ScanParams {
  /** Distinct ports that make a scanner. */
  ports: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

/**
 * The first time a window reaches the threshold among the attempts of `earlier` (port → last
 * time) followed by `later` (port → first time); null if none does.
 */
export function stitchDetect(earlier: Map<number, number>, later: Map<number, number>, params: ScanParams): number | null {
  if (earlier.size + later.size < params.ports) return null;
  const events: [number, number][] = [];
  for (const [k, t] of earlier) events.push([t, k]);
  for (const [k, t] of later) events.push([t, k]);
  events.sort((a, b) => a[0] - b[0]);
  const counts = new Map<number, number>();
  let front = 0;
  for (const [t, k] of events) {
    while (t - events[front]![0] >= params.windowMs) {
      const fk = events[front]![1];
      const c = counts.get(fk)! - 1;
      if (c === 0) counts.delete(fk);
      else counts.set(fk, c);
      front++;
    }
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if (counts.size >= params.ports) return t;
  }
  return null;
}

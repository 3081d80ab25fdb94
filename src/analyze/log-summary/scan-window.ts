/**
 * Scanner detection for one source: at least N distinct ports within any W-millisecond
 * window (sliding: two attempts are in one window when their times differ by less than W).
 *
 * A fold over a part of the log keeps, besides the live window, the first occurrence of each
 * port within W of the source's first attempt (`head`) and the last occurrence of each port
 * within W of its last attempt (`tail`). A window that crosses from part A into part B holds
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

/** The live state of one source (only while it is not yet known to be a scanner). */
export class ScanWindow {
  /** Port → first time, for attempts within W of `first` (frozen after that). */
  head: Map<number, number> | null = new Map();
  private readonly times: number[] = [];
  private readonly keys: number[] = [];
  private front = 0;
  /** Port → last time, for the attempts in the window. */
  private readonly live = new Map<number, number>();

  constructor(readonly first: number) {}

  /** Add an attempt; returns true when the window now holds enough distinct ports. */
  add(time: number, key: number, params: ScanParams): boolean {
    if (this.head && time - this.first < params.windowMs) {
      if (!this.head.has(key)) this.head.set(key, time);
    }
    const { times, keys, live } = this;
    while (this.front < times.length && time - times[this.front]! >= params.windowMs) {
      const k = keys[this.front]!;
      if (live.get(k) === times[this.front]) live.delete(k);
      this.front++;
    }
    if (this.front > 1024 && this.front * 2 > times.length) {
      times.splice(0, this.front);
      keys.splice(0, this.front);
      this.front = 0;
    }
    times.push(time);
    keys.push(key);
    live.set(key, time);
    return live.size >= params.ports;
  }

  /** Port → last time within W of `last`. */
  tail(last: number, windowMs: number): Map<number, number> {
    const out = new Map<number, number>();
    for (const [k, t] of this.live) if (last - t < windowMs) out.set(k, t);
    return out;
  }
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

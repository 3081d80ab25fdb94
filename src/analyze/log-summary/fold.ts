/**
 * The pure fold of a drop log: counts per day, hour, port, protocol and source, and scanner
 * detection, from packet events in time order. Its state is plain data (Maps and Sets), so
 * folds over parts of a log run in worker threads and merge afterwards in log order.
 *
 * @module
 */
import { ScanWindow, type ScanParams, stitchDetect } from './scan-window.js';
import type { LineCounts, MalformedExample, PacketEvent } from './types.js';

/** Protocols with ports; a port key is index × 65536 + port. */
export const PORT_PROTOCOLS = ['tcp', 'udp', 'udplite', 'sctp'] as const;
const PORT_PROTO_INDEX = new Map<string, number>(PORT_PROTOCOLS.map((p, i) => [p, i]));

export interface SourceState {
  attempts: number;
  first: number;
  last: number;
  ports: Set<number>;
  detectedAt: number | null;
  /** See scan-window.ts: first occurrences near `first`, last occurrences near `last`. */
  head: Map<number, number> | null;
  tail: Map<number, number> | null;
}

export interface Tally {
  attempts: number;
  sources: Set<string>;
}

/** Everything a fold knows; structured-cloneable (it crosses worker threads). */
export interface FoldState {
  lines: LineCounts;
  attempts: number;
  first: number;
  last: number;
  /** UTC day number → tally. */
  days: Map<number, Tally>;
  /** UTC hour number → attempts. */
  hours: Map<number, number>;
  ports: Map<number, Tally>;
  protocols: Map<string, Tally>;
  sources: Map<string, SourceState>;
  prefixes: Map<string, number>;
  malformed: MalformedExample[];
}

export interface FoldOptions {
  scan: ScanParams;
  /** Attempts before `since` or at/after `until` (ms) are outside the range. */
  since?: number;
  until?: number;
  /** Malformed lines kept as examples. */
  examples?: number;
}

export const FOLD_NEW_SCANNER = 1;
export const FOLD_NEW_PORT = 2;

export function emptyFoldState(): FoldState {
  return {
    lines: { read: 0, netfilter: 0, malformed: 0, skipped: 0, drops: 0, notDrops: 0, repeated: 0, outsideRange: 0 },
    attempts: 0,
    first: Infinity,
    last: -Infinity,
    days: new Map(),
    hours: new Map(),
    ports: new Map(),
    protocols: new Map(),
    sources: new Map(),
    prefixes: new Map(),
    malformed: [],
  };
}

function tally(map: Map<number, Tally> | Map<string, Tally>, key: number | string, src: string, count: number): boolean {
  const m = map as Map<number | string, Tally>;
  let t = m.get(key);
  const fresh = t === undefined;
  if (!t) {
    t = { attempts: 0, sources: new Set() };
    m.set(key, t);
  }
  t.attempts += count;
  t.sources.add(src);
  return fresh;
}

export function portKey(proto: string, port: number): number {
  const i = PORT_PROTO_INDEX.get(proto);
  return i === undefined || port < 0 ? -1 : i * 65536 + port;
}

export function portOfKey(key: number): { proto: string; port: number } {
  return { proto: PORT_PROTOCOLS[Math.floor(key / 65536)]!, port: key % 65536 };
}

export class LogFold {
  readonly state: FoldState = emptyFoldState();
  private readonly windows = new Map<string, ScanWindow>();
  file = '';

  constructor(private readonly options: FoldOptions) {}

  /** A netfilter line; returns FOLD_* bits for --follow. */
  record(ev: PacketEvent, _line: number): number {
    const s = this.state;
    s.lines.read++;
    s.lines.netfilter++;
    if (!ev.drop) {
      s.lines.notDrops++;
      return 0;
    }
    s.lines.drops++;
    s.prefixes.set(ev.prefix, (s.prefixes.get(ev.prefix) ?? 0) + 1);
    return this.attempt(ev, 1);
  }

  /** `last message repeated N times` after the drop `ev`. */
  repeated(ev: PacketEvent, count: number, _line: number): number {
    this.state.lines.repeated += count;
    this.state.prefixes.set(ev.prefix, (this.state.prefixes.get(ev.prefix) ?? 0) + count);
    return this.attempt(ev, count);
  }

  malformed(reason: string, line: number, text: string): void {
    const s = this.state;
    s.lines.read++;
    s.lines.malformed++;
    if (s.malformed.length < (this.options.examples ?? 5)) s.malformed.push({ file: this.file, line, reason, text });
  }

  skipped(_line: number, _recognised: boolean): void {
    this.state.lines.read++;
    this.state.lines.skipped++;
  }

  private attempt(ev: PacketEvent, count: number): number {
    const s = this.state;
    const t = ev.time;
    if ((this.options.since !== undefined && t < this.options.since) || (this.options.until !== undefined && t >= this.options.until)) {
      s.lines.outsideRange += count;
      return 0;
    }
    let bits = 0;
    s.attempts += count;
    if (t < s.first) s.first = t;
    if (t > s.last) s.last = t;
    const src = ev.src;
    tally(s.days, Math.floor(t / 86_400_000), src, count);
    const hour = Math.floor(t / 3_600_000);
    s.hours.set(hour, (s.hours.get(hour) ?? 0) + count);
    const key = portKey(ev.proto, ev.dpt);
    if (key >= 0) {
      if (tally(s.ports, key, src, count)) bits |= FOLD_NEW_PORT;
    } else tally(s.protocols, ev.proto, src, count);
    let source = s.sources.get(src);
    if (!source) {
      source = { attempts: 0, first: t, last: t, ports: new Set(), detectedAt: null, head: null, tail: null };
      s.sources.set(src, source);
    }
    source.attempts += count;
    if (t < source.first) source.first = t;
    if (t > source.last) source.last = t;
    if (key < 0) return bits;
    source.ports.add(key);
    if (source.detectedAt !== null) return bits;
    let win = this.windows.get(src);
    if (!win) {
      win = new ScanWindow(t);
      this.windows.set(src, win);
    }
    if (win.add(t, key, this.options.scan)) {
      source.detectedAt = t;
      // Once found, only the head matters for merging with an earlier part.
      source.head = win.head;
      this.windows.delete(src);
      bits |= FOLD_NEW_SCANNER;
    }
    return bits;
  }

  /** The state with live windows turned into head/tail maps (ready to clone and merge). */
  finish(): FoldState {
    for (const [src, win] of this.windows) {
      const source = this.state.sources.get(src)!;
      source.head = win.head;
      source.tail = win.tail(source.last, this.options.scan.windowMs);
    }
    this.windows.clear();
    return this.state;
  }
}

function mergeTally<K>(into: Map<K, Tally>, from: Map<K, Tally>): void {
  for (const [k, t] of from) {
    const mine = into.get(k);
    if (!mine) into.set(k, t);
    else {
      mine.attempts += t.attempts;
      for (const s of t.sources) mine.sources.add(s);
    }
  }
}

function mergeSource(a: SourceState, b: SourceState, scan: ScanParams): void {
  let detected = a.detectedAt;
  if (detected === null && a.tail && b.head) detected = stitchDetect(a.tail, b.head, scan);
  if (b.detectedAt !== null && (detected === null || b.detectedAt < detected)) detected = b.detectedAt;
  const head = a.head ?? new Map<number, number>();
  if (b.head) for (const [k, t] of b.head) if (t - a.first < scan.windowMs && !head.has(k)) head.set(k, t);
  let tail: Map<number, number> | null = null;
  if (detected === null) {
    tail = new Map(b.tail ?? []);
    if (a.tail) for (const [k, t] of a.tail) if (b.last - t < scan.windowMs && !tail.has(k)) tail.set(k, t);
  }
  a.attempts += b.attempts;
  a.first = Math.min(a.first, b.first);
  a.last = Math.max(a.last, b.last);
  for (const p of b.ports) a.ports.add(p);
  a.detectedAt = detected;
  a.head = head;
  a.tail = tail;
}

/** Fold `later` (the next part of the log, in time order) into `into`. */
export function mergeFoldStates(into: FoldState, later: FoldState, scan: ScanParams, examples = 5): FoldState {
  for (const k of Object.keys(into.lines) as (keyof LineCounts)[]) into.lines[k] += later.lines[k];
  into.attempts += later.attempts;
  into.first = Math.min(into.first, later.first);
  into.last = Math.max(into.last, later.last);
  mergeTally(into.days, later.days);
  for (const [h, n] of later.hours) into.hours.set(h, (into.hours.get(h) ?? 0) + n);
  mergeTally(into.ports, later.ports);
  mergeTally(into.protocols, later.protocols);
  for (const [p, n] of later.prefixes) into.prefixes.set(p, (into.prefixes.get(p) ?? 0) + n);
  for (const [src, b] of later.sources) {
    const a = into.sources.get(src);
    if (!a) into.sources.set(src, b);
    else mergeSource(a, b, scan);
  }
  for (const m of later.malformed) if (into.malformed.length < examples) into.malformed.push(m);
  return into;
}

/**
 * The pure fold of a drop log: counts per day, hour, port, protocol and source, and scanner
 * detection (scan-window.ts), from packet events in time order. Its state is plain data
 * (Maps, Sets, typed arrays), so folds over parts of a log run in worker threads and merge
 * afterwards in log order. Distinct sources per port and per day are counted at the end from
 * the sources' own port and day lists, so each attempt costs a few small-map updates.
 *
 * @module
 */
import { Ipv4Index } from './ipv4-index.js';
import { type ScanParams, stitchDetect } from './scan-window.js';
import type { LineCounts, MalformedExample, PacketEvent } from './types.js';

/** Protocols with ports; a port key is index × 65536 + port. */
export const PORT_PROTOCOLS = ['tcp', 'udp', 'udplite', 'sctp'] as const;
const PORT_PROTO_INDEX = new Map<string, number>(PORT_PROTOCOLS.map((p, i) => [p, i]));
const PORT_KEYS = PORT_PROTOCOLS.length * 65536;

export interface SourceState {
  attempts: number;
  first: number;
  last: number;
  /** Port key → time of the last attempt on it. */
  ports: Map<number, number>;
  /** UTC day numbers with attempts, ascending. */
  days: number[];
  /** Protocols without ports it used. */
  protocols: string[];
  detectedAt: number | null;
  /** See scan-window.ts: first occurrences near `first`, last occurrences near `last`. */
  head: Map<number, number> | null;
  tail: Map<number, number> | null;
}

/** Everything a fold knows; structured-cloneable (it crosses worker threads). */
export interface FoldState {
  lines: LineCounts;
  attempts: number;
  first: number;
  last: number;
  /** UTC day number → attempts. */
  days: Map<number, number>;
  /** UTC hour number → attempts. */
  hours: Map<number, number>;
  /** Attempts per port key. */
  ports: Float64Array;
  /** Attempts per protocol without ports. */
  protocols: Map<string, number>;
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
    ports: new Float64Array(PORT_KEYS),
    protocols: new Map(),
    sources: new Map(),
    prefixes: new Map(),
    malformed: [],
  };
}

export function portKey(proto: string, port: number): number {
  if (port < 0) return -1;
  // Compared in order of frequency; a Map lookup here costs more than the whole comparison.
  if (proto === 'tcp') return port;
  if (proto === 'udp') return 65536 + port;
  const i = PORT_PROTO_INDEX.get(proto);
  return i === undefined ? -1 : i * 65536 + port;
}

export function portOfKey(key: number): { proto: string; port: number } {
  return { proto: PORT_PROTOCOLS[Math.floor(key / 65536)]!, port: key % 65536 };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

export class LogFold {
  readonly state: FoldState = emptyFoldState();
  file = '';
  // Runs of attempts in the same hour: counted here, flushed when the hour changes.
  private hour = NaN;
  private hourCount = 0;
  private lastPrefix = '';
  private prefixCount = 0;
  /**
   * Port times are kept relative to the fold's first attempt until finish(): small integers
   * stay unboxed in a Map (epoch milliseconds would allocate a number per attempt).
   */
  private base = NaN;
  /** IPv4 sources by number → their place in `sourceList` (the state's Map is filled once per source). */
  private readonly v4Sources = new Ipv4Index();
  private readonly sourceList: SourceState[] = [];

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
    this.countPrefix(ev.prefix, 1);
    return this.attempt(ev, 1);
  }

  /** `last message repeated N times` after the drop `ev`. */
  repeated(ev: PacketEvent, count: number, _line: number): number {
    this.state.lines.repeated += count;
    this.countPrefix(ev.prefix, count);
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

  private countPrefix(prefix: string, n: number): void {
    if (prefix !== this.lastPrefix) {
      this.flushPrefix();
      this.lastPrefix = prefix;
    }
    this.prefixCount += n;
  }

  private flushPrefix(): void {
    if (this.prefixCount === 0) return;
    const p = this.state.prefixes;
    p.set(this.lastPrefix, (p.get(this.lastPrefix) ?? 0) + this.prefixCount);
    this.prefixCount = 0;
  }

  private flushHour(): void {
    if (this.hourCount === 0) return;
    const s = this.state;
    s.hours.set(this.hour, (s.hours.get(this.hour) ?? 0) + this.hourCount);
    const day = Math.floor((this.hour * HOUR) / DAY);
    s.days.set(day, (s.days.get(day) ?? 0) + this.hourCount);
    this.hourCount = 0;
  }

  private attempt(ev: PacketEvent, count: number): number {
    const s = this.state;
    const t = ev.time;
    const opts = this.options;
    if ((opts.since !== undefined && t < opts.since) || (opts.until !== undefined && t >= opts.until)) {
      s.lines.outsideRange += count;
      return 0;
    }
    let bits = 0;
    s.attempts += count;
    if (t < s.first) s.first = t;
    if (t > s.last) s.last = t;
    const hour = Math.floor(t / HOUR);
    if (hour !== this.hour) {
      this.flushHour();
      this.hour = hour;
    }
    this.hourCount += count;
    const v4 = ev.srcV4 ?? -1;
    let source: SourceState | undefined;
    if (v4 >= 0) {
      const id = this.v4Sources.get(v4);
      // A miss may still be a source an event without `srcV4` brought in: the Map decides then.
      source = id >= 0 ? this.sourceList[id] : s.sources.get(ev.src);
      if (id < 0 && source) {
        this.v4Sources.add(v4, this.sourceList.length);
        this.sourceList.push(source);
      }
    } else source = s.sources.get(ev.src);
    if (!source) {
      source = { attempts: 0, first: t, last: t, ports: new Map(), days: [], protocols: [], detectedAt: null, head: new Map(), tail: null };
      s.sources.set(ev.src, source);
      if (v4 >= 0) {
        this.v4Sources.add(v4, this.sourceList.length);
        this.sourceList.push(source);
      }
    }
    source.attempts += count;
    if (t < source.first) source.first = t;
    if (t > source.last) source.last = t;
    const day = Math.floor(t / DAY);
    const days = source.days;
    if (days.length === 0 || days[days.length - 1] !== day) {
      if (!days.includes(day)) {
        days.push(day);
        if (days.length > 1 && days[days.length - 2]! > day) days.sort((a, b) => a - b);
      }
    }
    const key = portKey(ev.proto, ev.dpt);
    if (key < 0) {
      s.protocols.set(ev.proto, (s.protocols.get(ev.proto) ?? 0) + count);
      if (!source.protocols.includes(ev.proto)) source.protocols.push(ev.proto);
      return bits;
    }
    if (s.ports[key] === 0) bits |= FOLD_NEW_PORT;
    s.ports[key]! += count;
    if (Number.isNaN(this.base)) this.base = t;
    const rel = t - this.base;
    const ports = source.ports;
    const before = ports.get(key);
    ports.set(key, rel);
    const { windowMs, ports: needed } = opts.scan;
    const head = source.head;
    if (head && t - source.first < windowMs && !head.has(key)) head.set(key, rel);
    if (source.detectedAt !== null || ports.size < needed) return bits;
    // The window's port count only grows when this port was not in it already.
    if (before !== undefined && rel - before < windowMs) return bits;
    let inWindow = 0;
    for (const last of ports.values()) if (rel - last < windowMs) inWindow++;
    if (inWindow >= needed) {
      source.detectedAt = t;
      bits |= FOLD_NEW_SCANNER;
    }
    return bits;
  }

  /** The state with the head/tail maps merging needs (ready to clone and merge); call once, at the end. */
  finish(): FoldState {
    this.flushHour();
    this.flushPrefix();
    const windowMs = this.options.scan.windowMs;
    const base = Number.isNaN(this.base) ? 0 : this.base;
    this.base = NaN;
    for (const source of this.state.sources.values()) {
      for (const [k, rel] of source.ports) source.ports.set(k, rel + base);
      if (source.head) for (const [k, rel] of source.head) source.head.set(k, rel + base);
      if (source.head && source.head.size === 0) source.head = null;
      if (source.detectedAt !== null) continue;
      const tail = new Map<number, number>();
      for (const [k, t] of source.ports) if (source.last - t < windowMs) tail.set(k, t);
      source.tail = tail.size > 0 ? tail : null;
    }
    return this.state;
  }
}

function mergeSource(a: SourceState, b: SourceState, scan: ScanParams): void {
  let detected = a.detectedAt;
  if (detected === null && a.tail && b.head) detected = stitchDetect(a.tail, b.head, scan);
  if (b.detectedAt !== null && (detected === null || b.detectedAt < detected)) detected = b.detectedAt;
  let head = a.head;
  if (b.head) {
    for (const [k, t] of b.head) {
      if (t - a.first >= scan.windowMs) continue;
      head ??= new Map();
      if (!head.has(k)) head.set(k, t);
    }
  }
  let tail: Map<number, number> | null = null;
  if (detected === null) {
    tail = new Map(b.tail ?? []);
    if (a.tail) for (const [k, t] of a.tail) if (b.last - t < scan.windowMs && !tail.has(k)) tail.set(k, t);
  }
  a.attempts += b.attempts;
  a.first = Math.min(a.first, b.first);
  a.last = Math.max(a.last, b.last);
  for (const [k, t] of b.ports) {
    const mine = a.ports.get(k);
    if (mine === undefined || t > mine) a.ports.set(k, t);
  }
  for (const d of b.days) if (!a.days.includes(d)) a.days.push(d);
  a.days.sort((x, y) => x - y);
  for (const p of b.protocols) if (!a.protocols.includes(p)) a.protocols.push(p);
  a.detectedAt = detected;
  a.head = head;
  a.tail = tail;
}

function addCounts<K>(into: Map<K, number>, from: Map<K, number>): void {
  for (const [k, n] of from) into.set(k, (into.get(k) ?? 0) + n);
}

/** Fold `later` (the next part of the log, in time order) into `into`. */
export function mergeFoldStates(into: FoldState, later: FoldState, scan: ScanParams, examples = 5): FoldState {
  for (const k of Object.keys(into.lines) as (keyof LineCounts)[]) into.lines[k] += later.lines[k];
  into.attempts += later.attempts;
  into.first = Math.min(into.first, later.first);
  into.last = Math.max(into.last, later.last);
  addCounts(into.days, later.days);
  addCounts(into.hours, later.hours);
  for (let i = 0; i < into.ports.length; i++) if (later.ports[i]) into.ports[i]! += later.ports[i]!;
  addCounts(into.protocols, later.protocols);
  addCounts(into.prefixes, later.prefixes);
  for (const [src, b] of later.sources) {
    const a = into.sources.get(src);
    if (!a) into.sources.set(src, b);
    else mergeSource(a, b, scan);
  }
  for (const m of later.malformed) if (into.malformed.length < examples) into.malformed.push(m);
  return into;
}

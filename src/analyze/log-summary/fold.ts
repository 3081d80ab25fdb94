/**
 * The pure fold of a drop log: counts per day, hour, port, protocol and source, and scanner
 * detection (scan-window.ts), from packet events. While it reads, a source is an object it
 * updates in place (source-state.ts); finished, it hands on its sources as typed-array columns
 * (source-table.ts) that cross worker threads by transfer and merge (fold-result.ts). Every
 * count, scanners included, is a function of the set of stamped attempts, so the result does
 * not depend on where the log was cut nor on lines that go back in time. Distinct sources per
 * port and per day are counted at the end from the sources' own port and day lists, so each
 * attempt costs a few small-map updates.
 *
 * @module
 */
import { Ipv4Index } from './ipv4-index.js';
import { PORT_KEYS, portKey } from './port-key.js';
import type { ScanParams } from './scan-window.js';
import { PRUNE_MIN, type SourceState, createSourceState, pruneSpans, settleSource } from './source-state.js';
import { type SourceTable, tableOfSources } from './source-table.js';
import type { LineCounts, MalformedExample, PacketEvent } from './types.js';

export { REORDER_HORIZON_MS, type SourceState } from './source-state.js';
export { PORT_PROTOCOLS, PORT_KEYS, portKey, portOfKey } from './port-key.js';

/** The counts a fold keeps besides its sources. */
export interface FoldCounts {
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
  /** TCP attempts per port that open a connection (SYN without ACK, RST or FIN). */
  tcpSyn: Float64Array;
  /** Per arrival interface: attempts, and attempts per port key. */
  interfaces: Map<string, InterfaceState>;
  prefixes: Map<string, number>;
  malformed: MalformedExample[];
}

/** What a fold knows while it reads: a source is an object it updates in place. */
export interface FoldState extends FoldCounts {
  sources: Map<string, SourceState>;
}

/** What a finished fold hands on: its sources as typed-array columns (they cross worker threads by transfer; fold-result.ts merges them). */
export interface FoldResult extends FoldCounts {
  sources: SourceTable;
}

export interface InterfaceState {
  attempts: number;
  ports: Map<number, number>;
}

export interface FoldOptions {
  scan: ScanParams;
  /** Attempts before `since` or at/after `until` (ms) are outside the range. */
  since?: number;
  until?: number;
  /** Malformed lines kept as examples. */
  examples?: number;
  /** Report new scanners as they happen even when their lines go back in time (--follow). */
  live?: boolean;
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
    tcpSyn: new Float64Array(65536),
    interfaces: new Map(),
    sources: new Map(),
    prefixes: new Map(),
    malformed: [],
  };
}

/** ACK, RST, SYN and FIN in PacketEvent.tcpFlags; SYN alone among them opens a connection (ECN bits may ride along). */
const CONNECTION_FLAGS = 16 | 4 | 2 | 1;
const SYN = 2;

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
  /** IPv4 sources by number → their place in `sourceList` (the state's Map is filled once per source). */
  private readonly v4Sources = new Ipv4Index();
  private readonly sourceList: SourceState[] = [];
  /** The interface of the previous attempt and its counts (most logs have one or two). */
  private iface: string | null = null;
  private ifaceState: InterfaceState | null = null;
  /** The first interface seen: its per-port counts are the totals minus the others', filled in by finish() (no Map update per attempt). */
  private primary: string | null = null;

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
      source = createSourceState(t, t);
      s.sources.set(ev.src, source);
      if (v4 >= 0) {
        this.v4Sources.add(v4, this.sourceList.length);
        this.sourceList.push(source);
      }
    }
    source.attempts += count;
    if (t < source.first) source.first = t;
    const day = Math.floor(t / DAY);
    if (day !== source.lastDay) {
      const days = source.days;
      if (!days.includes(day)) {
        days.push(day);
        if (days.length > 1 && days[days.length - 2]! > day) days.sort((a, b) => a - b);
      }
      source.lastDay = day;
    }
    const iface = ev.inIface;
    if (iface !== this.iface || !this.ifaceState) {
      this.iface = iface;
      this.ifaceState = s.interfaces.get(iface) ?? null;
      if (!this.ifaceState) s.interfaces.set(iface, (this.ifaceState = { attempts: 0, ports: new Map() }));
      this.primary ??= iface;
    }
    const ifaceState = this.ifaceState;
    ifaceState.attempts += count;
    if (source.lastIface !== iface) {
      if (!source.interfaces.includes(iface)) source.interfaces.push(iface);
      source.lastIface = iface;
    }
    const key = portKey(ev.proto, ev.dpt);
    if (key < 0) {
      s.protocols.set(ev.proto, (s.protocols.get(ev.proto) ?? 0) + count);
      if (!source.protocols.includes(ev.proto)) source.protocols.push(ev.proto);
      if (t > source.last) source.last = t;
      return bits;
    }
    if (s.ports[key] === 0) bits |= FOLD_NEW_PORT;
    s.ports[key]! += count;
    if (iface !== this.primary) ifaceState.ports.set(key, (ifaceState.ports.get(key) ?? 0) + count);
    if (key < 65536) {
      if ((ev.tcpFlags & CONNECTION_FLAGS) === SYN) {
        s.tcpSyn[key]! += count;
        source.tcpSyn += count;
      } else source.tcpOther += count;
    }
    const windowMs = opts.scan.windowMs;
    let ports = source.ports;
    let spans = source.spans;
    // The port of its previous attempt needs no Map lookup (SourceState.lastKey).
    const at = key === source.lastKey ? source.lastAt : ports.get(key);
    if (at !== undefined && at >= 0 && t >= spans[at]! && t - spans[at + 1]! < windowMs) {
      source.lastKey = key;
      source.lastAt = at;
      // Within or right after the port's current span: it grows, the window's port count does not.
      if (t > spans[at + 1]!) spans[at + 1] = t;
      if (t < source.last) source.unordered = true;
      if (t > source.last) source.last = t;
      return bits;
    }
    if (source.spanEnd >= source.pruneAt) {
      pruneSpans(source, opts.scan);
      // A prune that settled the source gave it a new Map and spans: the new span must be written there, not to those read above.
      ports = source.ports;
      spans = source.spans;
    }
    const added = source.spanEnd;
    ports.set(key, added);
    source.lastKey = key;
    source.lastAt = added;
    // Into the room an earlier prune left, if any (SourceState.spanEnd).
    if (added < spans.length) {
      spans[added] = t;
      spans[added + 1] = t;
      spans[added + 2] = key;
    } else spans.push(t, t, key);
    source.spanEnd = added + 3;
    if (t < source.last) source.unordered = true;
    if (t > source.last) source.last = t;
    if (!Number.isNaN(source.detectedAt) || ports.size < opts.scan.ports) return bits;
    if (source.unordered) {
      // Only --follow needs to know now; a batch read settles unordered sources once, at the end.
      if (opts.live) {
        settleSource(source, opts.scan);
        if (!Number.isNaN(source.detectedAt)) bits |= FOLD_NEW_SCANNER;
      }
      return bits;
    }
    // In time order, the ports in the window ending now are those whose current span ends within it.
    // A port's earlier spans ended a window or more before its current one began, so counting the
    // kept spans that end within it counts the same ports: walk whichever is shorter, the spans
    // (bounded by pruning) or the port Map (which keeps every port the source ever tried).
    const live = source.spanEnd;
    if (live < opts.scan.ports * 3) return bits;
    let inWindow = 0;
    if (live / 3 < ports.size) {
      for (let i = 1; i < live; i += 3) if (t - spans[i]! < windowMs) inWindow++;
    } else for (const i of ports.values()) if (i >= 0 && t - spans[i + 1]! < windowMs) inWindow++;
    if (inWindow >= opts.scan.ports) {
      source.detectedAt = t;
      bits |= FOLD_NEW_SCANNER;
    }
    return bits;
  }

  /** The result, ready to transfer and merge; call once, at the end. */
  finish(): FoldResult {
    this.flushHour();
    this.flushPrefix();
    for (const source of this.state.sources.values()) {
      if (source.unordered) settleSource(source, this.options.scan);
      // Only spans near either end can still join another part's (pruneSpans): the rest need not be copied, moved or merged.
      if (source.spanEnd > PRUNE_MIN) pruneSpans(source, this.options.scan);
    }
    this.fillPrimaryInterface();
    const { sources, ...counts } = this.state;
    return { ...counts, sources: tableOfSources(sources) };
  }

  private fillPrimaryInterface(): void {
    const s = this.state;
    const primary = this.primary === null ? undefined : s.interfaces.get(this.primary);
    if (!primary) return;
    const rest = new Float64Array(s.ports);
    for (const i of s.interfaces.values()) if (i !== primary) for (const [k, n] of i.ports) rest[k]! -= n;
    for (let k = 0; k < rest.length; k++) if (rest[k]! > 0) primary.ports.set(k, rest[k]!);
  }
}

/**
 * The pure fold of a drop log: counts per day, hour, port, protocol and source, and scanner
 * detection (scan-window.ts), from packet events. While it reads, a source is an object it
 * updates in place (source-state.ts), a batch of attempts at a time, source by source
 * (attempt-batch.ts, source-attempt.ts); finished, it hands on its sources as typed-array columns
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
import { AttemptBatch } from './attempt-batch.js';
import { NOT_TCP, applyAttempt } from './source-attempt.js';
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
/**
 * Attempts held back per batch: enough that a source of a busy log has several in each (so its
 * state is fetched once for them), few enough that the batch stays a few MB.
 */
const BATCH_SIZE = 1 << 17;
/** Counts above this (a repeat of a billion lines) are applied at once: a batch keeps int32s. */
const MAX_BATCHED_COUNT = 0x3fff_ffff;

export class LogFold {
  private readonly s: FoldState = emptyFoldState();
  file = '';
  // Runs of attempts in the same hour: counted here, flushed when the hour changes.
  private hour = NaN;
  private hourCount = 0;
  private lastPrefix = '';
  private prefixCount = 0;
  /** IPv4 sources by number → their place in `sourceList` (the state's Map is filled once per source). */
  private readonly v4Sources = new Ipv4Index();
  private readonly sourceList: SourceState[] = [];
  /** Every source's id by its text (the v4 index is the fast way in). */
  private readonly idByName = new Map<string, number>();
  /** Interface and protocol names, by the index a batched attempt carries. */
  private readonly names: string[] = [];
  private readonly nameIndexes = new Map<string, number>();
  private ifaceIndex = 0;
  /** Attempts held back to be applied source by source; none with `live` (each attempt's scanner bit is wanted at once). */
  private readonly batch: AttemptBatch | null;
  /** The interface of the previous attempt and its counts (most logs have one or two). */
  private iface: string | null = null;
  private ifaceState: InterfaceState | null = null;
  /** The first interface seen: its per-port counts are the totals minus the others', filled in by finish() (no Map update per attempt). */
  private primary: string | null = null;

  /** `batchSize`: attempts held back before they are applied source by source (tests make it small). */
  constructor(
    private readonly options: FoldOptions,
    batchSize = BATCH_SIZE,
  ) {
    this.batch = options.live || batchSize <= 1 ? null : new AttemptBatch(batchSize);
  }

  /** The state so far, every attempt applied. */
  get state(): FoldState {
    if (this.batch) this.applyBatch();
    return this.s;
  }

  /** A netfilter line; returns FOLD_* bits for --follow. */
  record(ev: PacketEvent, _line: number): number {
    const s = this.s;
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
    this.s.lines.repeated += count;
    this.countPrefix(ev.prefix, count);
    return this.attempt(ev, count);
  }

  malformed(reason: string, line: number, text: string): void {
    const s = this.s;
    s.lines.read++;
    s.lines.malformed++;
    if (s.malformed.length < (this.options.examples ?? 5)) s.malformed.push({ file: this.file, line, reason, text });
  }

  skipped(_line: number, _recognised: boolean): void {
    this.s.lines.read++;
    this.s.lines.skipped++;
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
    const p = this.s.prefixes;
    p.set(this.lastPrefix, (p.get(this.lastPrefix) ?? 0) + this.prefixCount);
    this.prefixCount = 0;
  }

  private flushHour(): void {
    if (this.hourCount === 0) return;
    const s = this.s;
    s.hours.set(this.hour, (s.hours.get(this.hour) ?? 0) + this.hourCount);
    const day = Math.floor((this.hour * HOUR) / DAY);
    s.days.set(day, (s.days.get(day) ?? 0) + this.hourCount);
    this.hourCount = 0;
  }

  private attempt(ev: PacketEvent, count: number): number {
    const s = this.s;
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
    const id = this.sourceId(ev, t);
    const iface = ev.inIface;
    if (iface !== this.iface || !this.ifaceState) {
      this.iface = iface;
      this.ifaceState = s.interfaces.get(iface) ?? null;
      if (!this.ifaceState) s.interfaces.set(iface, (this.ifaceState = { attempts: 0, ports: new Map() }));
      this.primary ??= iface;
      this.ifaceIndex = this.nameIndex(iface);
    }
    const ifaceState = this.ifaceState;
    ifaceState.attempts += count;
    const key = portKey(ev.proto, ev.dpt);
    let syn = NOT_TCP;
    if (key < 0) s.protocols.set(ev.proto, (s.protocols.get(ev.proto) ?? 0) + count);
    else {
      if (s.ports[key] === 0) bits |= FOLD_NEW_PORT;
      s.ports[key]! += count;
      if (iface !== this.primary) ifaceState.ports.set(key, (ifaceState.ports.get(key) ?? 0) + count);
      if (key < 65536) {
        syn = (ev.tcpFlags & CONNECTION_FLAGS) === SYN ? 1 : 0;
        if (syn === 1) s.tcpSyn[key]! += count;
      }
    }
    const batch = this.batch;
    if (batch && count <= MAX_BATCHED_COUNT) {
      // A protocol without ports travels as -1 - its index among the names.
      const code = key >= 0 ? key : -1 - this.nameIndex(ev.proto);
      if (batch.add(id, t, code, count, this.ifaceIndex * 4 + syn + 1)) this.applyBatch();
      return bits;
    }
    // Attempts of one source are applied in log order: whatever is held back goes first.
    if (batch) this.applyBatch();
    if (applyAttempt(this.sourceList[id]!, t, key, ev.proto, count, iface, syn, opts.scan, opts.live === true)) bits |= FOLD_NEW_SCANNER;
    return bits;
  }

  /** The source's id (its place in `sourceList`), made on its first attempt. */
  private sourceId(ev: PacketEvent, t: number): number {
    const v4 = ev.srcV4 ?? -1;
    if (v4 >= 0) {
      const id = this.v4Sources.get(v4);
      if (id >= 0) return id;
    }
    // A v4 miss may still be a source an event without `srcV4` brought in: the names decide then.
    let id = this.idByName.get(ev.src);
    if (id === undefined) {
      const source = createSourceState(t, t);
      id = this.sourceList.push(source) - 1;
      this.s.sources.set(ev.src, source);
      this.idByName.set(ev.src, id);
    }
    if (v4 >= 0) this.v4Sources.add(v4, id);
    return id;
  }

  private nameIndex(name: string): number {
    let i = this.nameIndexes.get(name);
    if (i === undefined) this.nameIndexes.set(name, (i = this.names.push(name) - 1));
    return i;
  }

  /** Apply the held-back attempts source by source (attempt-batch.ts). */
  private applyBatch(): void {
    const batch = this.batch!;
    if (batch.size === 0) return;
    batch.sort();
    const { sortedTimes: times, sortedInts: ints, touched, ends } = batch;
    const list = this.sourceList;
    const names = this.names;
    const scan = this.options.scan;
    let j = 0;
    for (let k = 0; k < batch.touchedCount; k++) {
      const id = touched[k]!;
      const source = list[id]!;
      for (const end = ends[id]!; j < end; j++) {
        const code = ints[j * 3]!;
        const mark = ints[j * 3 + 2]!;
        applyAttempt(source, times[j]!, code >= 0 ? code : -1, code >= 0 ? '' : names[-1 - code]!, ints[j * 3 + 1]!, names[mark >> 2]!, (mark & 3) - 1, scan, false);
      }
    }
    batch.clear();
  }

  /** The result, ready to transfer and merge; call once, at the end. */
  finish(): FoldResult {
    if (this.batch) this.applyBatch();
    this.flushHour();
    this.flushPrefix();
    for (const source of this.s.sources.values()) {
      if (source.unordered) settleSource(source, this.options.scan);
      // Only spans near either end can still join another part's (pruneSpans): the rest need not be copied, moved or merged.
      if (source.spanEnd > PRUNE_MIN) pruneSpans(source, this.options.scan);
    }
    this.fillPrimaryInterface();
    const { sources, ...counts } = this.s;
    return { ...counts, sources: tableOfSources(sources) };
  }

  private fillPrimaryInterface(): void {
    const s = this.s;
    const primary = this.primary === null ? undefined : s.interfaces.get(this.primary);
    if (!primary) return;
    const rest = new Float64Array(s.ports);
    for (const i of s.interfaces.values()) if (i !== primary) for (const [k, n] of i.ports) rest[k]! -= n;
    for (let k = 0; k < rest.length; k++) if (rest[k]! > 0) primary.ports.set(k, rest[k]!);
  }
}

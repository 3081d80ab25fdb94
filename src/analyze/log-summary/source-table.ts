/**
 * The fold's sources as columns of typed arrays: what a finished fold hands on (to the main
 * thread, to merging, to the summary). A worker's 50,000 source objects, each with a Map and
 * arrays, cost more to structured-clone, rebuild and collect on the main thread than the fold
 * of its share took to compute (BENCHMARKS.md, logs "Fourth pass"); columns are transferred,
 * not cloned, and merged without an object per source except for sources both parts saw.
 *
 * Per-source lists are in compressed-row form: source i's items are
 * `values[start[i]] … values[start[i + 1] - 1]`.
 *
 * @module
 */
import { PRUNE_MIN, type SourceState } from './source-state.js';

export interface Lists<T extends Int32Array | Float64Array> {
  start: Int32Array;
  values: T;
}

export interface SourceTable {
  /** As the kernel printed them (IPv6 uncompressed). */
  addresses: string[];
  attempts: Float64Array;
  first: Float64Array;
  last: Float64Array;
  tcpSyn: Float64Array;
  tcpOther: Float64Array;
  /** When it became a scanner; NaN for sources that did not. */
  detectedAt: Float64Array;
  /** 1 where its spans may not be canonical (an attempt went back in time): SourceState.unordered. */
  unordered: Uint8Array;
  /** Names the interface and protocol lists number. */
  interfaceNames: string[];
  protocolNames: string[];
  /** UTC day numbers, ascending. */
  days: Lists<Int32Array>;
  interfaces: Lists<Int32Array>;
  protocols: Lists<Int32Array>;
  /** Port keys it tried (distinct), and per port the offset in its spans of the port's latest span, -1 once pruned. */
  ports: Lists<Int32Array>;
  latest: Int32Array;
  /** [start, end, port key] triples (scan-window.ts). */
  spans: Lists<Float64Array>;
}

/** Sizes to allocate a table for (upper bounds are fine: finish() trims). */
interface Capacity {
  sources: number;
  days: number;
  interfaces: number;
  protocols: number;
  ports: number;
  spans: number;
}

/** Fills a table source by source; each list column grows only through the source being written. */
export class SourceTableWriter {
  private n = 0;
  private readonly t: SourceTable;
  private readonly ifaceIds = new Map<string, number>();
  private readonly protoIds = new Map<string, number>();

  constructor(cap: Capacity, interfaceNames: readonly string[] = [], protocolNames: readonly string[] = []) {
    const lists = <T extends Int32Array | Float64Array>(values: T): Lists<T> => ({ start: new Int32Array(cap.sources + 1), values });
    this.t = {
      addresses: new Array<string>(cap.sources),
      attempts: new Float64Array(cap.sources),
      first: new Float64Array(cap.sources),
      last: new Float64Array(cap.sources),
      tcpSyn: new Float64Array(cap.sources),
      tcpOther: new Float64Array(cap.sources),
      detectedAt: new Float64Array(cap.sources),
      unordered: new Uint8Array(cap.sources),
      interfaceNames: [],
      protocolNames: [],
      days: lists(new Int32Array(cap.days)),
      interfaces: lists(new Int32Array(cap.interfaces)),
      protocols: lists(new Int32Array(cap.protocols)),
      ports: lists(new Int32Array(cap.ports)),
      latest: new Int32Array(cap.ports),
      spans: lists(new Float64Array(cap.spans)),
    };
    for (const name of interfaceNames) this.interfaceId(name);
    for (const name of protocolNames) this.protocolId(name);
  }

  interfaceId(name: string): number {
    let id = this.ifaceIds.get(name);
    if (id === undefined) {
      this.ifaceIds.set(name, (id = this.t.interfaceNames.length));
      this.t.interfaceNames.push(name);
    }
    return id;
  }

  protocolId(name: string): number {
    let id = this.protoIds.get(name);
    if (id === undefined) {
      this.protoIds.set(name, (id = this.t.protocolNames.length));
      this.t.protocolNames.push(name);
    }
    return id;
  }

  /** Adds a source held as an object (a live fold's, or one just merged). */
  addState(address: string, s: SourceState): void {
    const t = this.t;
    const i = this.begin(address, s.attempts, s.first, s.last, s.tcpSyn, s.tcpOther, s.detectedAt ?? NaN, s.unordered);
    let k = t.days.start[i]!;
    for (const d of s.days) t.days.values[k++] = d;
    t.days.start[i + 1] = k;
    k = t.interfaces.start[i]!;
    for (const x of s.interfaces) t.interfaces.values[k++] = this.interfaceId(x);
    t.interfaces.start[i + 1] = k;
    k = t.protocols.start[i]!;
    for (const p of s.protocols) t.protocols.values[k++] = this.protocolId(p);
    t.protocols.start[i + 1] = k;
    k = t.ports.start[i]!;
    for (const [key, at] of s.ports) {
      t.ports.values[k] = key;
      t.latest[k++] = at;
    }
    t.ports.start[i + 1] = k;
    k = t.spans.start[i]!;
    for (let j = 0; j < s.spans.length; j++) t.spans.values[k++] = s.spans[j]!;
    t.spans.start[i + 1] = k;
    this.n++;
  }

  /** Copies source `i` of `from` as it is (its interface and protocol numbers renamed to this table's). */
  copy(from: SourceTable, i: number): void {
    const t = this.t;
    const o = this.begin(from.addresses[i]!, from.attempts[i]!, from.first[i]!, from.last[i]!, from.tcpSyn[i]!, from.tcpOther[i]!, from.detectedAt[i]!, from.unordered[i] === 1);
    const copyList = (src: Lists<Int32Array> | Lists<Float64Array>, dst: Lists<Int32Array> | Lists<Float64Array>, rename?: (id: number) => number): void => {
      let k = dst.start[o]!;
      for (let j = src.start[i]!; j < src.start[i + 1]!; j++) dst.values[k++] = rename ? rename(src.values[j]!) : src.values[j]!;
      dst.start[o + 1] = k;
    };
    copyList(from.days, t.days);
    copyList(from.interfaces, t.interfaces, (id) => this.interfaceId(from.interfaceNames[id]!));
    copyList(from.protocols, t.protocols, (id) => this.protocolId(from.protocolNames[id]!));
    const base = t.ports.start[o]!;
    copyList(from.ports, t.ports);
    t.latest.set(from.latest.subarray(from.ports.start[i]!, from.ports.start[i + 1]!), base);
    copyList(from.spans, t.spans);
    this.n++;
  }

  private begin(address: string, attempts: number, first: number, last: number, tcpSyn: number, tcpOther: number, detectedAt: number, unordered: boolean): number {
    const t = this.t;
    const i = this.n;
    t.addresses[i] = address;
    t.attempts[i] = attempts;
    t.first[i] = first;
    t.last[i] = last;
    t.tcpSyn[i] = tcpSyn;
    t.tcpOther[i] = tcpOther;
    t.detectedAt[i] = detectedAt;
    t.unordered[i] = unordered ? 1 : 0;
    return i;
  }

  /** The table, trimmed to what was written (copies: the spare capacity is not kept nor transferred). */
  finish(): SourceTable {
    const t = this.t;
    const n = this.n;
    const trim = <T extends Int32Array | Float64Array>(l: Lists<T>): Lists<T> => ({ start: l.start.slice(0, n + 1), values: l.values.slice(0, l.start[n]) as T });
    const ports = trim(t.ports);
    return {
      addresses: t.addresses.length === n ? t.addresses : t.addresses.slice(0, n),
      attempts: t.attempts.slice(0, n),
      first: t.first.slice(0, n),
      last: t.last.slice(0, n),
      tcpSyn: t.tcpSyn.slice(0, n),
      tcpOther: t.tcpOther.slice(0, n),
      detectedAt: t.detectedAt.slice(0, n),
      unordered: t.unordered.slice(0, n),
      interfaceNames: t.interfaceNames,
      protocolNames: t.protocolNames,
      days: trim(t.days),
      interfaces: trim(t.interfaces),
      protocols: trim(t.protocols),
      ports,
      latest: t.latest.slice(0, ports.values.length),
      spans: trim(t.spans),
    };
  }
}

/** The sources of a live fold as a table. */
export function tableOfSources(sources: Map<string, SourceState>): SourceTable {
  const cap: Capacity = { sources: sources.size, days: 0, interfaces: 0, protocols: 0, ports: 0, spans: 0 };
  for (const s of sources.values()) {
    cap.days += s.days.length;
    cap.interfaces += s.interfaces.length;
    cap.protocols += s.protocols.length;
    cap.ports += s.ports.size;
    cap.spans += s.spans.length;
  }
  const w = new SourceTableWriter(cap);
  for (const [address, s] of sources) w.addState(address, s);
  return w.finish();
}

/** Source `i` of a table as an object again (to merge it with the same source of another part). */
export function sourceStateOf(t: SourceTable, i: number): SourceState {
  const ports = new Map<number, number>();
  for (let j = t.ports.start[i]!; j < t.ports.start[i + 1]!; j++) ports.set(t.ports.values[j]!, t.latest[j]!);
  const spans = Array.from(t.spans.values.subarray(t.spans.start[i]!, t.spans.start[i + 1]!));
  const names = (l: Lists<Int32Array>, table: string[]): string[] => Array.from(l.values.subarray(l.start[i]!, l.start[i + 1]!), (id) => table[id]!);
  const detectedAt = t.detectedAt[i]!;
  return {
    attempts: t.attempts[i]!,
    first: t.first[i]!,
    last: t.last[i]!,
    lastDay: NaN,
    lastIface: null,
    ports,
    spans,
    pruneAt: Math.max(PRUNE_MIN, spans.length * 2),
    tcpSyn: t.tcpSyn[i]!,
    tcpOther: t.tcpOther[i]!,
    detectedAt: Number.isNaN(detectedAt) ? null : detectedAt,
    unordered: t.unordered[i] === 1,
    days: Array.from(t.days.values.subarray(t.days.start[i]!, t.days.start[i + 1]!)),
    protocols: names(t.protocols, t.protocolNames),
    interfaces: names(t.interfaces, t.interfaceNames),
  };
}

/** The table with no source. */
export function emptySourceTable(): SourceTable {
  return new SourceTableWriter({ sources: 0, days: 0, interfaces: 0, protocols: 0, ports: 0, spans: 0 }).finish();
}

/**
 * `a` and `b` (the later part of the log) as one table: sources only one part saw are copied
 * column by column; a source both saw is merged by the fold's own rule (mergeSource), so the
 * result is the same as merging the live states.
 */
export function mergeSourceTables(a: SourceTable, b: SourceTable, merge: (into: SourceState, later: SourceState) => void): SourceTable {
  if (b.addresses.length === 0) return a;
  if (a.addresses.length === 0) return b;
  const index = new Map<string, number>();
  a.addresses.forEach((address, i) => index.set(address, i));
  const partner = new Int32Array(a.addresses.length).fill(-1);
  const onlyB: number[] = [];
  b.addresses.forEach((address, j) => {
    const i = index.get(address);
    if (i === undefined) onlyB.push(j);
    else partner[i] = j;
  });
  const sum = (f: (t: SourceTable) => { length: number }): number => f(a).length + f(b).length;
  const w = new SourceTableWriter(
    {
      sources: a.addresses.length + onlyB.length,
      days: sum((t) => t.days.values),
      interfaces: sum((t) => t.interfaces.values),
      protocols: sum((t) => t.protocols.values),
      ports: sum((t) => t.ports.values),
      spans: sum((t) => t.spans.values),
    },
    a.interfaceNames,
    a.protocolNames,
  );
  for (let i = 0; i < a.addresses.length; i++) {
    const j = partner[i]!;
    if (j < 0) w.copy(a, i);
    else {
      const s = sourceStateOf(a, i);
      merge(s, sourceStateOf(b, j));
      w.addState(a.addresses[i]!, s);
    }
  }
  for (const j of onlyB) w.copy(b, j);
  return w.finish();
}

/** The buffers to transfer (not copy) when a table crosses to another thread. */
export function sourceTableBuffers(t: SourceTable): ArrayBuffer[] {
  const lists = [t.days, t.interfaces, t.protocols, t.ports, t.spans].flatMap((l) => [l.start, l.values]);
  return [t.attempts, t.first, t.last, t.tcpSyn, t.tcpOther, t.detectedAt, t.unordered, t.latest, ...lists].map((a) => a.buffer as ArrayBuffer);
}

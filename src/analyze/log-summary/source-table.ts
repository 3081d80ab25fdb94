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
import { PORT_KEYS } from './port-key.js';
import { type ScanParams, detectFromSpans } from './scan-window.js';
import { PRUNE_MIN, type SourceState, createSourceState, liveSpans } from './source-state.js';

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
  /**
   * False in the result of a merge no other merge follows (mergeSourceTables' `last`): its
   * spans and `latest` are empty, since only merging reads them; it can be summarised, not
   * merged again.
   */
  spansKept: boolean;
}

/** Sizes to allocate a table for (upper bounds are fine). */
interface Capacity {
  sources: number;
  days: number;
  interfaces: number;
  protocols: number;
  ports: number;
  spans: number;
}

/** Another table's interface and protocol numbers → this table's (null: the same). */
interface Renames {
  interfaces: Int32Array | null;
  protocols: Int32Array | null;
}

const SAME: Renames = { interfaces: null, protocols: null };

/** Fills a table source by source; each list column grows only through the source being written. */
export class SourceTableWriter {
  private n = 0;
  private readonly t: SourceTable;
  private readonly ifaceIds = new Map<string, number>();
  private readonly protoIds = new Map<string, number>();
  // Per port key, for the source being merged: whether it has the port (gen stamp) and the offset of its latest span.
  private seen: Int32Array | null = null;
  private at: Int32Array | null = null;
  private gen = 0;
  /** Where a source's merged spans go when the table keeps none: they are swept for windows that cross the parts, then dropped. */
  private scratch: Float64Array | null = null;

  /** With `keepSpans` false, spans and `latest` are not written (SourceTable.spansKept): the capacity needs none. */
  constructor(cap: Capacity, interfaceNames: readonly string[] = [], protocolNames: readonly string[] = [], private readonly keepSpans = true) {
    const lists = <T extends Int32Array | Float64Array>(values: T): Lists<T> => ({ start: new Int32Array(cap.sources + 1), values });
    this.t = {
      addresses: [],
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
      latest: new Int32Array(keepSpans ? cap.ports : 0),
      spans: lists(new Float64Array(cap.spans)),
      spansKept: keepSpans,
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

  /** How `from`'s interface and protocol numbers read in this table. */
  renamesOf(from: SourceTable): Renames {
    return {
      interfaces: Int32Array.from(from.interfaceNames, (n) => this.interfaceId(n)),
      protocols: Int32Array.from(from.protocolNames, (n) => this.protocolId(n)),
    };
  }

  /** Adds a source held as an object (a live fold's, or one just merged). */
  addState(address: string, s: SourceState): void {
    const t = this.t;
    const i = this.begin(address, s.attempts, s.first, s.last, s.tcpSyn, s.tcpOther, s.detectedAt, s.unordered);
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
    // forEach: an entries iterator makes a [key, value] array per port (a third of finish()).
    const portValues = t.ports.values;
    const latest = t.latest;
    if (this.keepSpans)
      s.ports.forEach((at, key) => {
        portValues[k] = key;
        latest[k++] = at;
      });
    else s.ports.forEach((_, key) => void (portValues[k++] = key));
    t.ports.start[i + 1] = k;
    // set(): one native copy per source; this runs once per source per fold, mostly before
    // the optimiser has compiled it, where an element loop costs more than the copy (issue 12).
    k = t.spans.start[i]!;
    const spans = liveSpans(s);
    if (this.keepSpans) t.spans.values.set(spans, k);
    t.spans.start[i + 1] = this.keepSpans ? k + spans.length : k;
    this.n++;
  }

  /** Copies source `i` of `from` as it is. */
  copy(from: SourceTable, i: number, renames: Renames = SAME): void {
    const t = this.t;
    const o = this.begin(from.addresses[i]!, from.attempts[i]!, from.first[i]!, from.last[i]!, from.tcpSyn[i]!, from.tcpOther[i]!, from.detectedAt[i]!, from.unordered[i] === 1);
    copyList(from.days, i, t.days, o, null);
    copyList(from.interfaces, i, t.interfaces, o, renames.interfaces);
    copyList(from.protocols, i, t.protocols, o, renames.protocols);
    if (this.keepSpans) t.latest.set(from.latest.subarray(from.ports.start[i]!, from.ports.start[i + 1]!), t.ports.start[o]!);
    copyList(from.ports, i, t.ports, o, null);
    if (this.keepSpans) copyList(from.spans, i, t.spans, o, null);
    else t.spans.start[o + 1] = t.spans.start[o]!;
    this.n++;
  }

  /**
   * Source `i` of `a` and source `j` of `b` (read after it) as one, on the columns, when b's
   * attempts all come at or after a's last (mergeSource's in-order case: the common one, a
   * log cut in time order). Returns false, having written nothing, otherwise.
   */
  mergeInOrder(a: SourceTable, i: number, b: SourceTable, j: number, bRenames: Renames, scan: ScanParams): boolean {
    if (b.first[j]! < a.last[i]!) return false;
    const t = this.t;
    const o = this.begin(a.addresses[i]!, a.attempts[i]! + b.attempts[j]!, Math.min(a.first[i]!, b.first[j]!), Math.max(a.last[i]!, b.last[j]!), a.tcpSyn[i]! + b.tcpSyn[j]!, a.tcpOther[i]! + b.tcpOther[j]!, NaN, a.unordered[i] === 1 || b.unordered[j] === 1);
    unionSorted(a.days, i, b.days, j, t.days, o);
    copyList(a.interfaces, i, t.interfaces, o, null);
    addMissing(b.interfaces, j, t.interfaces, o, bRenames.interfaces);
    copyList(a.protocols, i, t.protocols, o, null);
    addMissing(b.protocols, j, t.protocols, o, bRenames.protocols);

    // a's spans as they are, then b's: each joins its port's latest span or follows it (appendLaterSpans).
    // A table that keeps no spans joins them only when the sweep below may need them (a found
    // no window and both together may reach the port count), in a scratch buffer.
    const keepSpans = this.keepSpans;
    const aPorts = a.ports.start[i + 1]! - a.ports.start[i]!;
    const joinSpans = keepSpans || (Number.isNaN(a.detectedAt[i]!) && aPorts + b.ports.start[j + 1]! - b.ports.start[j]! >= scan.ports);
    this.seen ??= new Int32Array(PORT_KEYS);
    this.at ??= new Int32Array(PORT_KEYS);
    const seen = this.seen;
    const at = this.at;
    const gen = ++this.gen;
    const aSpans = a.spans.start[i + 1]! - a.spans.start[i]!;
    const sv = keepSpans ? t.spans.values : this.scratchFor(aSpans + b.spans.start[j + 1]! - b.spans.start[j]!);
    const pv = t.ports.values;
    const spanBase = keepSpans ? t.spans.start[o]! : 0;
    const portBase = t.ports.start[o]!;
    if (joinSpans) sv.set(a.spans.values.subarray(a.spans.start[i]!, a.spans.start[i + 1]!), spanBase);
    let k = spanBase + (joinSpans ? aSpans : 0);
    let p = portBase;
    for (let x = a.ports.start[i]!; x < a.ports.start[i + 1]!; x++) {
      const key = a.ports.values[x]!;
      const latest = a.latest[x]!;
      seen[key] = gen;
      at[key] = latest >= 0 ? spanBase + latest : -1;
      pv[p++] = key;
    }
    const bs = b.spans.values;
    const bsEnd = joinSpans ? b.spans.start[j + 1]! : b.spans.start[j]!;
    for (let x = b.spans.start[j]!; x < bsEnd; x += 3) {
      const start = bs[x]!;
      const end = bs[x + 1]!;
      const key = bs[x + 2]!;
      if (seen[key] === gen) {
        const last = at[key]!;
        if (last >= 0 && start - sv[last + 1]! < scan.windowMs) {
          if (end > sv[last + 1]!) sv[last + 1] = end;
          continue;
        }
      } else {
        seen[key] = gen;
        pv[p++] = key;
      }
      at[key] = k;
      sv[k++] = start;
      sv[k++] = end;
      sv[k++] = key;
    }
    for (let x = b.ports.start[j]!; x < b.ports.start[j + 1]!; x++) {
      const key = b.ports.values[x]!;
      if (seen[key] === gen) continue;
      seen[key] = gen;
      at[key] = -1;
      pv[p++] = key;
    }
    if (keepSpans)
      for (let q = portBase; q < p; q++) {
        const last = at[pv[q]!]!;
        t.latest[q] = last >= 0 ? last - spanBase : -1;
      }
    t.ports.start[o + 1] = p;
    t.spans.start[o + 1] = keepSpans ? k : t.spans.start[o]!;

    // Windows inside a or inside b were found by their folds; a's stands (nothing after it changes windows up to it), else the sweep finds those that cross.
    const aFound = a.detectedAt[i]!;
    const bFound = b.detectedAt[j]!;
    let found = aFound;
    if (Number.isNaN(found) && p - portBase >= scan.ports) found = detectFromSpans(sv.subarray(spanBase, k), scan) ?? NaN;
    if (!Number.isNaN(bFound) && (Number.isNaN(found) || bFound < found)) found = bFound;
    t.detectedAt[o] = found;
    this.n++;
    return true;
  }

  private scratchFor(length: number): Float64Array {
    if (!this.scratch || this.scratch.length < length) this.scratch = new Float64Array(Math.max(length, 2 * (this.scratch?.length ?? 0), 3 * 1024));
    return this.scratch;
  }

  private begin(address: string, attempts: number, first: number, last: number, tcpSyn: number, tcpOther: number, detectedAt: number, unordered: boolean): number {
    const t = this.t;
    const i = this.n;
    t.addresses.push(address);
    t.attempts[i] = attempts;
    t.first[i] = first;
    t.last[i] = last;
    t.tcpSyn[i] = tcpSyn;
    t.tcpOther[i] = tcpOther;
    t.detectedAt[i] = detectedAt;
    t.unordered[i] = unordered ? 1 : 0;
    return i;
  }

  /** The table, as views of what was written (no copy: spare capacity stays in the buffers). */
  finish(): SourceTable {
    const t = this.t;
    const n = this.n;
    const trim = <T extends Int32Array | Float64Array>(l: Lists<T>): Lists<T> => ({ start: l.start.subarray(0, n + 1), values: l.values.subarray(0, l.start[n]) as T });
    const ports = trim(t.ports);
    return {
      addresses: t.addresses,
      attempts: t.attempts.subarray(0, n),
      first: t.first.subarray(0, n),
      last: t.last.subarray(0, n),
      tcpSyn: t.tcpSyn.subarray(0, n),
      tcpOther: t.tcpOther.subarray(0, n),
      detectedAt: t.detectedAt.subarray(0, n),
      unordered: t.unordered.subarray(0, n),
      interfaceNames: t.interfaceNames,
      protocolNames: t.protocolNames,
      days: trim(t.days),
      interfaces: trim(t.interfaces),
      protocols: trim(t.protocols),
      ports,
      latest: this.keepSpans ? t.latest.subarray(0, ports.values.length) : t.latest,
      spans: trim(t.spans),
      spansKept: this.keepSpans,
    };
  }
}

/** Source i's list in `src` → source o's in `dst` (o is the source being written), numbers renamed when `rename` is given. */
function copyList(src: Lists<Int32Array> | Lists<Float64Array>, i: number, dst: Lists<Int32Array> | Lists<Float64Array>, o: number, rename: Int32Array | null): void {
  let k = dst.start[o]!;
  const v = dst.values;
  const end = src.start[i + 1]!;
  if (rename) for (let j = src.start[i]!; j < end; j++) v[k++] = rename[src.values[j]!]!;
  else {
    // A merge runs once, mostly before the optimiser has compiled it: a native copy, not an element loop.
    v.set(src.values.subarray(src.start[i]!, end), k);
    k += end - src.start[i]!;
  }
  dst.start[o + 1] = k;
}

/** Appends to source o's list (already written) the items of b's source j it lacks. */
function addMissing(src: Lists<Int32Array>, j: number, dst: Lists<Int32Array>, o: number, rename: Int32Array | null): void {
  const from = dst.start[o]!;
  let k = dst.start[o + 1]!;
  const v = dst.values;
  for (let x = src.start[j]!; x < src.start[j + 1]!; x++) {
    const id = rename ? rename[src.values[x]!]! : src.values[x]!;
    let has = false;
    for (let y = from; y < k && !has; y++) has = v[y] === id;
    if (!has) v[k++] = id;
  }
  dst.start[o + 1] = k;
}

/** The ascending union of two ascending lists. */
function unionSorted(a: Lists<Int32Array>, i: number, b: Lists<Int32Array>, j: number, dst: Lists<Int32Array>, o: number): void {
  let x = a.start[i]!;
  let y = b.start[j]!;
  const xe = a.start[i + 1]!;
  const ye = b.start[j + 1]!;
  let k = dst.start[o]!;
  const v = dst.values;
  while (x < xe || y < ye) {
    const dx = x < xe ? a.values[x]! : Infinity;
    const dy = y < ye ? b.values[y]! : Infinity;
    const d = Math.min(dx, dy);
    v[k++] = d;
    if (dx === d) x++;
    if (dy === d) y++;
  }
  dst.start[o + 1] = k;
}

/** The sources of a live fold as a table. */
export function tableOfSources(sources: Map<string, SourceState>): SourceTable {
  const cap: Capacity = { sources: sources.size, days: 0, interfaces: 0, protocols: 0, ports: 0, spans: 0 };
  for (const s of sources.values()) {
    cap.days += s.days.length;
    cap.interfaces += s.interfaces.length;
    cap.protocols += s.protocols.length;
    cap.ports += s.ports.size;
    cap.spans += liveSpans(s).length;
  }
  const w = new SourceTableWriter(cap);
  for (const [address, s] of sources) w.addState(address, s);
  return w.finish();
}

/** Source `i` of a table as an object again (to merge it with the same source of another part). */
export function sourceStateOf(t: SourceTable, i: number): SourceState {
  const s = createSourceState(t.first[i]!, t.last[i]!);
  for (let j = t.ports.start[i]!; j < t.ports.start[i + 1]!; j++) s.ports.set(t.ports.values[j]!, t.latest[j]!);
  for (let j = t.spans.start[i]!; j < t.spans.start[i + 1]!; j++) s.spans.push(t.spans.values[j]!);
  s.spanEnd = s.spans.length;
  s.pruneAt = Math.max(PRUNE_MIN, s.spanEnd * 2);
  s.attempts = t.attempts[i]!;
  s.tcpSyn = t.tcpSyn[i]!;
  s.tcpOther = t.tcpOther[i]!;
  s.detectedAt = t.detectedAt[i]!;
  s.unordered = t.unordered[i] === 1;
  for (let j = t.days.start[i]!; j < t.days.start[i + 1]!; j++) s.days.push(t.days.values[j]!);
  const names = (l: Lists<Int32Array>, table: string[], into: string[]): void => {
    for (let j = l.start[i]!; j < l.start[i + 1]!; j++) into.push(table[l.values[j]!]!);
  };
  names(t.protocols, t.protocolNames, s.protocols);
  names(t.interfaces, t.interfaceNames, s.interfaces);
  return s;
}

/** The table with no source. */
export function emptySourceTable(): SourceTable {
  return new SourceTableWriter({ sources: 0, days: 0, interfaces: 0, protocols: 0, ports: 0, spans: 0 }).finish();
}

/**
 * `a` and `b` (the later part of the log) as one table: sources only one part saw are copied
 * column by column; a source both saw is merged by the fold's own rule (mergeSource), so the
 * result is the same as merging the live states. With `last`, no merge follows: the result
 * keeps no spans (SourceTable.spansKept), which were a merge's main cost in time and memory
 * (11 per (source, port) in the benchmark log, read by nothing after the last merge).
 */
export function mergeSourceTables(a: SourceTable, b: SourceTable, scan: ScanParams, merge: (into: SourceState, later: SourceState) => void, last = false): SourceTable {
  if (b.addresses.length === 0) return a;
  if (a.addresses.length === 0) return b;
  if (!a.spansKept || !b.spansKept) throw new Error('a source table from a last merge has no spans: it cannot be merged again');
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
      spans: last ? 0 : sum((t) => t.spans.values),
    },
    a.interfaceNames,
    a.protocolNames,
    !last,
  );
  const renames = w.renamesOf(b);
  for (let i = 0; i < a.addresses.length; i++) {
    const j = partner[i]!;
    if (j < 0) w.copy(a, i);
    else if (!w.mergeInOrder(a, i, b, j, renames, scan)) {
      const s = sourceStateOf(a, i);
      merge(s, sourceStateOf(b, j));
      w.addState(a.addresses[i]!, s);
    }
  }
  for (const j of onlyB) w.copy(b, j, renames);
  return w.finish();
}

/** The buffers to transfer (not copy) when a table crosses to another thread. */
export function sourceTableBuffers(t: SourceTable): ArrayBuffer[] {
  const lists = [t.days, t.interfaces, t.protocols, t.ports, t.spans].flatMap((l) => [l.start, l.values]);
  return [t.attempts, t.first, t.last, t.tcpSyn, t.tcpOther, t.detectedAt, t.unordered, t.latest, ...lists].map((a) => a.buffer as ArrayBuffer);
}

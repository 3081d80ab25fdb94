/**
 * One source's state in a live fold, and the rules that keep it exact and bounded: settling
 * spans after lines went back in time, forgetting spans no window can need, and merging the
 * same source's states from two parts of a log.
 *
 * @module
 */
import { type ScanParams, type Spans, coalesceSpans, detectFromSpans } from './scan-window.js';

export interface SourceState {
  attempts: number;
  first: number;
  last: number;
  /** Port key → index in `spans` of the span its last attempt (in log order) went to; -1 once that span is pruned. */
  ports: Map<number, number>;
  /**
   * Per port, runs of attempts with gaps under the window (scan-window.ts): the first
   * `spanEnd` numbers; what lies beyond is room left by earlier prunes (liveSpans).
   */
  spans: Spans;
  spanEnd: number;
  /** UTC day numbers with attempts, ascending. */
  days: number[];
  /** A day and an interface known to be in `days` and `interfaces`: most attempts repeat them, and the lists are another cache miss. */
  lastDay: number;
  lastIface: string;
  /**
   * The port of its last attempt and that port's offset in `spans` (its entry in `ports`): a
   * source mostly tries the port it tried just before (half the attempts of the benchmark log,
   * nearly all of an SSH brute force), and these fields share the object's first cache line
   * where the port Map's table is one or two more misses. Whatever moves spans or rewrites
   * `ports` forgets it (NO_PORT).
   */
  lastKey: number;
  lastAt: number;
  /** Protocols without ports it used. */
  protocols: string[];
  /** Arrival interfaces (IN=) of its attempts. */
  interfaces: string[];
  /** TCP attempts that open a connection (SYN only) and the others. */
  tcpSyn: number;
  tcpOther: number;
  /** When it became a scanner; NaN while it is not one (a number from the start: see createSourceState). */
  detectedAt: number;
  /** An attempt came earlier than one before it: spans may overlap until coalesced, and detection is by sweep. */
  unordered: boolean;
  /** Prune spans when `spans` grows to this length (amortised: doubles after each prune). */
  pruneAt: number;
}

/**
 * How far a line may be stamped before the latest line above it and still be combined exactly
 * with everything else for scanners: the hour repeated when daylight saving time ends, with
 * room to spare. Beyond it the fold may have forgotten what such a line would combine with.
 */
export const REORDER_HORIZON_MS = 2 * 3_600_000;
/** Spans a source keeps before the first prune (triples). */
export const PRUNE_MIN = 3 * 8;

/** `lastKey` when no port is remembered: port keys are ≥ 0. */
export const NO_PORT = -1;

/** `lastIface` before any attempt: `IN=` values end at a space, so no interface is named this. */
export const NO_INTERFACE = ' ';

/*
 * Empty lists of the elements kind (V8) they will hold: a `[]` literal starts as small integers
 * and changes kind at the first string or fraction pushed, which deoptimises code that has seen
 * only the old kind. Each is its own literal: one shared site would settle on the most general kind.
 */
function emptyTimeList(): number[] {
  const list = [0.5];
  list.length = 0;
  return list;
}

function emptyNameList(): string[] {
  const list = [''];
  list.length = 0;
  return list;
}

/**
 * A source's state before its first attempt, every field already of the type and kind it keeps
 * (NaN rather than null, strings where strings will be): a field or list that changes kind
 * later makes V8 throw away the fold's optimised code, and recompiling `attempt` cost
 * 0.1-0.3 s per worker, several times in the first tens of MB (issue 12). One function makes
 * every source, so all share one hidden class.
 */
export function createSourceState(first: number, last: number): SourceState {
  // What every attempt reads comes first, so it shares the object's first cache lines; the lists most attempts skip come last.
  return {
    attempts: 0,
    first,
    last,
    lastDay: NaN,
    lastIface: NO_INTERFACE,
    lastKey: NO_PORT,
    lastAt: -1,
    ports: new Map(),
    spans: emptyTimeList(),
    spanEnd: 0,
    pruneAt: PRUNE_MIN,
    tcpSyn: 0,
    tcpOther: 0,
    detectedAt: NaN,
    unordered: false,
    days: [],
    protocols: emptyNameList(),
    interfaces: emptyNameList(),
  };
}

/**
 * The source's spans without the room a prune left after them (`spans.length === spanEnd`),
 * for code outside the fold's hot loop. A prune keeps the room because shortening a V8 array
 * by more than half frees its tail, and the array then grew back by copies at every prune
 * cycle: most of what survived the fold's young generation (issue 12).
 */
export function liveSpans(source: SourceState): Spans {
  if (source.spans.length !== source.spanEnd) source.spans.length = source.spanEnd;
  return source.spans;
}

/** Spans in canonical form, and detection from them (a sweep: order no longer matters); an earlier detection stands. */
export function settleSource(source: SourceState, scan: ScanParams): void {
  const { spans, latest } = coalesceSpans(liveSpans(source), scan.windowMs);
  for (const k of source.ports.keys()) if (!latest.has(k)) latest.set(k, -1);
  source.spans = spans;
  source.spanEnd = spans.length;
  source.ports = latest;
  source.lastKey = NO_PORT;
  const found = latest.size >= scan.ports ? detectFromSpans(spans, scan) : null;
  if (found !== null && (Number.isNaN(source.detectedAt) || found < source.detectedAt)) source.detectedAt = found;
}

/**
 * Forget spans that no window can still need, so memory follows sources and ports, not the
 * length of the log. Lines come at most REORDER_HORIZON before the latest line before them,
 * so a span that ended more than the horizon and a window before the source's latest attempt
 * shares no window with anything read later; one that started within the horizon and a window
 * of the source's first attempt here is kept for the part before this one (merging).
 */
export function pruneSpans(source: SourceState, scan: ScanParams): void {
  // Windows among what is here now are decided before anything is forgotten.
  if (source.unordered && Number.isNaN(source.detectedAt) && source.ports.size >= scan.ports) settleSource(source, scan);
  source.lastKey = NO_PORT; // span offsets move
  const spans = source.spans;
  const tooOld = source.last - REORDER_HORIZON_MS - scan.windowMs;
  const head = source.first + REORDER_HORIZON_MS + scan.windowMs;
  const ports = source.ports;
  // Compacted in place (the write index never passes the read index): no new array per prune,
  // and the array keeps its length (the room is reused by the next spans: liveSpans).
  const end = source.spanEnd;
  let kept = 0;
  for (let i = 0; i < end; i += 3) {
    const key = spans[i + 2]!;
    const latest = ports.get(key) === i;
    if (spans[i + 1]! < tooOld && spans[i]! >= head) {
      if (latest) ports.set(key, -1);
      continue;
    }
    if (latest) ports.set(key, kept);
    if (kept !== i) {
      spans[kept] = spans[i]!;
      spans[kept + 1] = spans[i + 1]!;
      spans[kept + 2] = key;
    }
    kept += 3;
  }
  source.spanEnd = kept;
  source.pruneAt = Math.max(PRUNE_MIN, kept * 2);
}

/**
 * b's spans all start at or after a's last attempt, and each port's spans are in time order
 * (in either part): a port's first span in b joins its latest in a or follows it. Linear,
 * where settleSource sorts: most sources of a log cut in time order merge this way.
 */
function appendLaterSpans(a: SourceState, b: SourceState, scan: ScanParams): void {
  const spans = liveSpans(a);
  const bs = liveSpans(b);
  for (let i = 0; i < bs.length; i += 3) {
    const start = bs[i]!;
    const end = bs[i + 1]!;
    const key = bs[i + 2]!;
    const at = a.ports.get(key);
    if (at !== undefined && at >= 0 && start - spans[at + 1]! < scan.windowMs) {
      if (end > spans[at + 1]!) spans[at + 1] = end;
      continue;
    }
    a.ports.set(key, spans.length);
    spans.push(start, end, key);
  }
  for (const k of b.ports.keys()) if (!a.ports.has(k)) a.ports.set(k, -1);
}

export function mergeSource(a: SourceState, b: SourceState, scan: ScanParams): void {
  // Both are settled (finish()), so a's detection is exact; when b starts after a ends, no
  // window up to it changes. Merges go in log order: a is read before b.
  const inOrder = b.first >= a.last;
  a.lastKey = NO_PORT; // a's spans and ports change below
  const keep = inOrder && !Number.isNaN(a.detectedAt) ? a.detectedAt : undefined;
  a.attempts += b.attempts;
  a.first = Math.min(a.first, b.first);
  a.last = Math.max(a.last, b.last);
  for (const d of b.days) if (!a.days.includes(d)) a.days.push(d);
  a.days.sort((x, y) => x - y);
  for (const p of b.protocols) if (!a.protocols.includes(p)) a.protocols.push(p);
  for (const x of b.interfaces) if (!a.interfaces.includes(x)) a.interfaces.push(x);
  a.tcpSyn += b.tcpSyn;
  a.tcpOther += b.tcpOther;
  const before = a.detectedAt;
  if (inOrder) appendLaterSpans(a, b, scan);
  else {
    const spans = liveSpans(a);
    const bs = liveSpans(b);
    for (let i = 0; i < bs.length; i++) spans.push(bs[i]!);
    for (const k of b.ports.keys()) if (!a.ports.has(k)) a.ports.set(k, -1);
  }
  a.spanEnd = a.spans.length;
  // Windows inside a or inside b were found by their folds; the sweep finds those that cross.
  a.detectedAt = keep ?? NaN;
  if (keep === undefined) {
    // Spans appended in time order are canonical already: sweep without sorting them again.
    if (!inOrder) settleSource(a, scan);
    else if (a.ports.size >= scan.ports) a.detectedAt = detectFromSpans(a.spans, scan) ?? NaN;
  }
  for (const d of [before, b.detectedAt]) if (!Number.isNaN(d) && (Number.isNaN(a.detectedAt) || d < a.detectedAt)) a.detectedAt = d;
  if (a.spanEnd >= a.pruneAt) pruneSpans(a, scan);
  a.unordered = a.unordered || b.unordered || !inOrder;
}

/**
 * One attempt's effect on its source's state: counts, days, interfaces, protocols, the port's
 * span and the scanner check. It reads nothing but the source and the scan parameters, so the
 * fold may apply a source's attempts whenever it likes, as long as it applies them in log
 * order (attempt-batch.ts).
 *
 * @module
 */
import type { ScanParams } from './scan-window.js';
import { type SourceState, pruneSpans, settleSource } from './source-state.js';

const DAY = 86_400_000;

/** `syn` of an attempt on a TCP port: 1 when it opens a connection, 0 otherwise; -1 for other protocols. */
export const NOT_TCP = -1;

/**
 * Apply one attempt to `source`. `key` is the port key, or -1 for a protocol without ports
 * (named by `proto`). Returns true when this attempt makes the source a scanner in time order
 * (or, with `live`, by the sweep of an unordered source).
 */
export function applyAttempt(source: SourceState, t: number, key: number, proto: string, count: number, iface: string, syn: number, scan: ScanParams, live: boolean): boolean {
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
  if (source.lastIface !== iface) {
    if (!source.interfaces.includes(iface)) source.interfaces.push(iface);
    source.lastIface = iface;
  }
  if (key < 0) {
    if (!source.protocols.includes(proto)) source.protocols.push(proto);
    if (t > source.last) source.last = t;
    return false;
  }
  if (syn === 1) source.tcpSyn += count;
  else if (syn === 0) source.tcpOther += count;
  const windowMs = scan.windowMs;
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
    return false;
  }
  if (source.spanEnd >= source.pruneAt) {
    pruneSpans(source, scan);
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
  if (!Number.isNaN(source.detectedAt) || ports.size < scan.ports) return false;
  if (source.unordered) {
    // Only --follow needs to know now; a batch read settles unordered sources once, at the end.
    if (!live) return false;
    settleSource(source, scan);
    return !Number.isNaN(source.detectedAt);
  }
  // In time order, the ports in the window ending now are those whose current span ends within it.
  // A port's earlier spans ended a window or more before its current one began, so counting the
  // kept spans that end within it counts the same ports: walk whichever is shorter, the spans
  // (bounded by pruning) or the port Map (which keeps every port the source ever tried).
  const live3 = source.spanEnd;
  if (live3 < scan.ports * 3) return false;
  let inWindow = 0;
  if (live3 / 3 < ports.size) {
    for (let i = 1; i < live3; i += 3) if (t - spans[i]! < windowMs) inWindow++;
  } else for (const i of ports.values()) if (i >= 0 && t - spans[i + 1]! < windowMs) inWindow++;
  if (inWindow < scan.ports) return false;
  source.detectedAt = t;
  return true;
}

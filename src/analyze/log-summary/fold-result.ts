/**
 * Finished folds of parts of a log, merged into the fold of the whole (exactly: the property
 * test in fold.test.ts cuts logs anywhere), and the buffers that move them between threads.
 *
 * @module
 */
import { type FoldResult, emptyFoldState } from './fold.js';
import type { ScanParams } from './scan-window.js';
import { mergeSource } from './source-state.js';
import { emptySourceTable, mergeSourceTables, sourceTableBuffers } from './source-table.js';
import type { LineCounts } from './types.js';

export function emptyFoldResult(): FoldResult {
  const { sources: _, ...counts } = emptyFoldState();
  return { ...counts, sources: emptySourceTable() };
}

function addCounts<K>(into: Map<K, number>, from: Map<K, number>): void {
  for (const [k, n] of from) into.set(k, (into.get(k) ?? 0) + n);
}

/**
 * `into` with `later` (the next part of the log: malformed examples stay in log order) added;
 * `into` is updated and returned, and neither part is to be used afterwards. `last`: no merge
 * follows, only the summary: the sources keep no spans (mergeSourceTables).
 */
export function mergeFoldResults(into: FoldResult, later: FoldResult, scan: ScanParams, examples = 5, last = false): FoldResult {
  for (const k of Object.keys(into.lines) as (keyof LineCounts)[]) into.lines[k] += later.lines[k];
  into.attempts += later.attempts;
  into.first = Math.min(into.first, later.first);
  into.last = Math.max(into.last, later.last);
  addCounts(into.days, later.days);
  addCounts(into.hours, later.hours);
  for (let i = 0; i < into.ports.length; i++) if (later.ports[i]) into.ports[i]! += later.ports[i]!;
  addCounts(into.protocols, later.protocols);
  addCounts(into.prefixes, later.prefixes);
  for (let i = 0; i < into.tcpSyn.length; i++) if (later.tcpSyn[i]) into.tcpSyn[i]! += later.tcpSyn[i]!;
  for (const [name, b] of later.interfaces) {
    const a = into.interfaces.get(name);
    if (!a) into.interfaces.set(name, b);
    else {
      a.attempts += b.attempts;
      addCounts(a.ports, b.ports);
    }
  }
  into.sources = mergeSourceTables(into.sources, later.sources, scan, (a, b) => mergeSource(a, b, scan), last);
  for (const m of later.malformed) if (into.malformed.length < examples) into.malformed.push(m);
  return into;
}

/** The buffers to list for transfer when posting `r` to another thread (the rest is cloned). */
export function foldResultBuffers(r: FoldResult): ArrayBuffer[] {
  return [r.ports.buffer as ArrayBuffer, r.tcpSyn.buffer as ArrayBuffer, ...sourceTableBuffers(r.sources)];
}

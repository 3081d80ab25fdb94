/**
 * What the world tries against the host, from the firewall's drop log: a pure fold of packet
 * events (mergeable across worker threads) and its summary, joined with the audit's exposure.
 *
 * @module
 */
export { LogFold, emptyFoldState, portKey, portOfKey, FOLD_NEW_PORT, FOLD_NEW_SCANNER, REORDER_HORIZON_MS, type FoldOptions, type FoldCounts, type FoldState, type FoldResult, type SourceState } from './fold.js';
export { emptyFoldResult, foldResultBuffers, mergeFoldResults } from './fold-result.js';
export type { SourceTable } from './source-table.js';
export { coalesceSpans, detectFromSpans, type ScanParams, type Spans } from './scan-window.js';
export { summarize, exposedPorts, serviceTag, type ExposedPort, type SummaryOptions } from './summarize.js';
export type * from './types.js';

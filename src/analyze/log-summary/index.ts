/**
 * What the world tries against the host, from the firewall's drop log: a pure fold of packet
 * events (mergeable across worker threads) and its summary, joined with the audit's exposure.
 *
 * @module
 */
export { LogFold, emptyFoldState, mergeFoldStates, portKey, portOfKey, FOLD_NEW_PORT, FOLD_NEW_SCANNER, type FoldOptions, type FoldState, type SourceState } from './fold.js';
export { coalesceSpans, detectFromSpans, type ScanParams, type Spans } from './scan-window.js';
export { summarize, exposedPorts, serviceTag, type ExposedPort, type SummaryOptions } from './summarize.js';
export type * from './types.js';

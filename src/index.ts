/**
 * Portcullis as a library: snapshot in, analysis out.
 *
 * @module
 */
export * from './model/index.js';
export type * from './analyze/types.js';
export { analyzeSnapshots, type HostOutcome, type SnapshotTask } from './pool/index.js';
export { runWatchLoop, type WatchLoopOptions, type WatchRound, type CollectedHost } from './watch/index.js';

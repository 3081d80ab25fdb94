/**
 * `watch` as a library: the loop, with collection, triggers and store passed in.
 *
 * @module
 */
export { runWatchLoop, type RoundFailure, type WatchLoopOptions, type WatchRound } from './watch-loop.js';
export { analyzeRoundHost, auditAnalyses, type CollectedHost, type HostVerdict, type MissedHost, type RoundHost } from './audit-round.js';

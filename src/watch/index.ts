/**
 * `watch` as a library: the loop, with collection, triggers and store passed in.
 *
 * @module
 */
export { runWatchLoop, type RoundFailure, type WatchLoopOptions, type WatchRound } from './watch-loop.js';
export { auditRound, type CollectedHost, type RoundAudit } from './audit-round.js';

/**
 * Many hosts at once: snapshot files analysed over worker threads, streamed in order.
 *
 * @module
 */
export { analyzeSnapshots, defaultThreads, threadsFromEnv, type PoolOptions } from './analyze-pool.js';
export { analyzeSnapshotFile, type HostOutcome, type SnapshotTask } from './analyze-snapshot-file.js';
export { readSnapshotBytes } from './early-read.js';

/**
 * Worker thread of the audit pool: analyses one snapshot file per message and posts the
 * outcome back (a HostAnalysis is plain data, so structured clone carries it whole).
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { analyzeSnapshotFile, type SnapshotTask } from './analyze-snapshot-file.js';
import type { PoolReply } from './pool-messages.js';

parentPort!.on('message', (task: SnapshotTask) => {
  analyzeSnapshotFile(task).then(
    (outcome) => parentPort!.postMessage({ type: 'done', outcome } satisfies PoolReply),
    (err: unknown) => parentPort!.postMessage({ type: 'bug', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies PoolReply),
  );
});

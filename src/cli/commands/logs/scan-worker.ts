/**
 * Worker thread: folds one byte range of a log file (or a whole gzip file) and posts the
 * fold's result back: its typed arrays are transferred, the few small Maps cloned.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { foldResultBuffers } from '../../../analyze/log-summary/index.js';
import { foldTask } from './fold-task.js';
import type { ScanTask, WorkerMessage } from './scan-task.js';

async function run(task: ScanTask): Promise<WorkerMessage> {
  let pending = 0;
  const part = await foldTask(task, (n) => {
    pending += n;
    if (pending >= 16 << 20) {
      parentPort!.postMessage({ type: 'progress', bytes: pending } satisfies WorkerMessage);
      pending = 0;
    }
  });
  parentPort!.postMessage({ type: 'progress', bytes: pending } satisfies WorkerMessage);
  return { type: 'done', ...part };
}

parentPort!.on('message', (task: ScanTask) => {
  run(task).then(
    (msg) => parentPort!.postMessage(msg, msg.type === 'done' ? foldResultBuffers(msg.state) : []),
    (err: unknown) => parentPort!.postMessage({ type: 'error', path: (err as { path?: string }).path ?? task.file.path, reason: (err as { reason?: string }).reason ?? String((err as Error).message) } satisfies WorkerMessage),
  );
});

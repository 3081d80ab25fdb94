/**
 * Worker thread: reads one byte range of a log file (or a whole gzip file) into a fold and
 * posts the fold's result back: its typed arrays are transferred, the few small Maps cloned.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { LogFold, foldResultBuffers } from '../../../analyze/log-summary/index.js';
import { lineBefore, readLogBytes } from '../../../collect/logs/index.js';
import type { ScanTask, WorkerMessage } from './scan-task.js';
import { readIntoFold } from './read-into-fold.js';

async function run(task: ScanTask): Promise<WorkerMessage> {
  const fold = new LogFold(task.fold);
  const previousLine = task.range && task.range.start > 0 ? await lineBefore(task.file.path, task.range.start) : undefined;
  let pending = 0;
  const reader = await readIntoFold(readLogBytes(task.file, task.range), task.file.path, fold, new Date(task.now), {
    ...(previousLine ? { previousLine } : {}),
    onBytes: (n) => {
      pending += n;
      if (pending >= 16 << 20) {
        parentPort!.postMessage({ type: 'progress', bytes: pending } satisfies WorkerMessage);
        pending = 0;
      }
    },
  });
  parentPort!.postMessage({ type: 'progress', bytes: pending } satisfies WorkerMessage);
  return { type: 'done', state: fold.finish(), lines: reader.line, recognised: reader.recognised };
}

parentPort!.on('message', (task: ScanTask) => {
  run(task).then(
    (msg) => parentPort!.postMessage(msg, msg.type === 'done' ? foldResultBuffers(msg.state) : []),
    (err: unknown) => parentPort!.postMessage({ type: 'error', path: (err as { path?: string }).path ?? task.file.path, reason: (err as { reason?: string }).reason ?? String((err as Error).message) } satisfies WorkerMessage),
  );
});

/**
 * One scan task folded on the thread that calls it: a scan worker runs it, and so does the
 * main thread, which folds a share of the parts instead of waiting for the workers.
 *
 * @module
 */
import { type FoldResult, LogFold } from '../../../analyze/log-summary/index.js';
import { lineBefore, readLogBytes } from '../../../collect/logs/index.js';
import type { ScanTask } from './scan-task.js';
import { readIntoFold } from './read-into-fold.js';

export interface PartResult {
  state: FoldResult;
  lines: number;
  recognised: number;
}

/** Read the task's bytes (from the line before its range, for the repeat rule) into a fold and finish it. */
export async function foldTask(task: ScanTask, onBytes: (n: number) => void): Promise<PartResult> {
  const fold = new LogFold(task.fold);
  const previousLine = task.range && task.range.start > 0 ? await lineBefore(task.file.path, task.range.start) : undefined;
  const reader = await readIntoFold(readLogBytes(task.file, task.range), task.file.path, fold, new Date(task.now), {
    ...(previousLine ? { previousLine } : {}),
    onBytes,
  });
  return { state: fold.finish(), lines: reader.line, recognised: reader.recognised };
}

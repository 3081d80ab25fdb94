/**
 * What the main thread and the scan workers say to each other.
 *
 * @module
 */
import type { FoldOptions, FoldResult } from '../../../analyze/log-summary/index.js';
import type { LogFileInfo } from '../../../collect/logs/index.js';

export interface ScanTask {
  file: LogFileInfo;
  /** A byte range of a plain file; the whole file when absent. */
  range?: { start: number; end: number };
  fold: FoldOptions;
  /** ms since the epoch: the moment BSD stamps are read against (yearReference). */
  now: number;
}

export type WorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'done'; state: FoldResult; lines: number; recognised: number }
  | { type: 'error'; path: string; reason: string };

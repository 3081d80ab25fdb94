/**
 * Read log files with every core: plain files are cut into ranges at line starts, gzip files
 * go whole, this thread and worker threads fold the parts, and the parts merge in log order
 * (files by their first time stamp, ranges by offset). Small inputs stay on this thread.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type FoldOptions, type FoldResult, emptyFoldResult, mergeFoldResults } from '../../../analyze/log-summary/index.js';
import { type LogFileInfo, LogReadError, splitAtLines, yearReference } from '../../../collect/logs/index.js';
import { threadsFromEnv } from '../../../pool/index.js';
import { type PartResult, foldTask } from './fold-task.js';
import type { ScanTask, WorkerMessage } from './scan-task.js';

export interface FileScan {
  state: FoldResult;
  /** Per file: lines read and lines with a recognised syslog/journal framing. */
  files: { path: string; lines: number; recognised: number }[];
}

/** Below this, worker start-up costs more than it saves. */
const PARALLEL_MIN_BYTES = 16 << 20;
/** Parts per worker: finer parts balance better; each part costs a merge. */
const PARTS_PER_WORKER = 1;

/** Every core, unless PORTCULLIS_THREADS says otherwise (here two threads do help: BENCHMARKS.md). */
function defaultThreads(): number {
  return threadsFromEnv(availableParallelism());
}

/**
 * The files' fold. `last`: nothing will be merged into the result (no standard input or journal
 * follows), so the last merge of the parts keeps no spans (mergeFoldResults).
 */
export async function scanFiles(files: LogFileInfo[], fold: FoldOptions, now: Date, onBytes: (n: number) => void, last: boolean, threads = defaultThreads()): Promise<FileScan> {
  const total = files.reduce((n, f) => n + f.size, 0);
  const workers = Math.max(1, Math.min(threads, 8));
  const tasks: ScanTask[] = [];
  const owner: number[] = [];
  for (const [i, file] of files.entries()) {
    const parts = total >= PARALLEL_MIN_BYTES && workers > 1 ? Math.max(1, Math.round((file.size / total) * workers * PARTS_PER_WORKER)) : 1;
    for (const range of await splitAtLines(file, parts)) {
      const reference = yearReference(file, now).getTime();
      tasks.push(range.start === 0 && range.end === file.size ? { file, fold, now: reference } : { file, range, fold, now: reference });
      owner.push(i);
    }
  }
  const results = total >= PARALLEL_MIN_BYTES && workers > 1 && tasks.length > 1 ? await runOnThreads(tasks, Math.min(workers, tasks.length), onBytes) : await runHere(tasks, onBytes);

  let state = emptyFoldResult();
  const perFile = files.map((f) => ({ path: f.path, lines: 0, recognised: 0 }));
  results.forEach((r, k) => {
    const f = perFile[owner[k]!]!;
    // Worker line numbers start at 1 in each part: shift them to the file's.
    for (const m of r.state.malformed) m.line += f.lines;
    f.lines += r.lines;
    f.recognised += r.recognised;
    state = mergeFoldResults(state, r.state, fold.scan, fold.examples, last && k === results.length - 1);
  });
  return { state, files: perFile };
}

async function runHere(tasks: ScanTask[], onBytes: (n: number) => void): Promise<PartResult[]> {
  const out: PartResult[] = [];
  for (const task of tasks) out.push(await foldTask(task, onBytes));
  return out;
}

/**
 * `count` threads take parts from one queue: `count - 1` workers and this thread, which would
 * otherwise wait. It starts folding before a worker has loaded its code, and its own parts need
 * no transfer; a second worker cost its start-up and a structured clone of its result, on two
 * cores where this thread then sat idle (issue 12).
 */
function runOnThreads(tasks: ScanTask[], count: number, onBytes: (n: number) => void): Promise<PartResult[]> {
  const results: PartResult[] = new Array(tasks.length);
  let next = 0;
  let finished = 0;
  let stopped = false;
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    const stop = (err?: Error): void => {
      if (stopped) return;
      stopped = true;
      for (const w of pool) void w.terminate();
      if (err) reject(err);
      else resolve(results);
    };
    for (let i = 0; i < count - 1; i++) {
      const worker = new Worker(new URL('./scan-worker.js', import.meta.url));
      pool.push(worker);
      let current = -1;
      const give = (): void => {
        if (next >= tasks.length) return;
        current = next++;
        worker.postMessage(tasks[current]);
      };
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.type === 'progress') onBytes(msg.bytes);
        else if (msg.type === 'error') stop(new LogReadError(msg.path, msg.reason));
        else {
          results[current] = { state: msg.state, lines: msg.lines, recognised: msg.recognised };
          if (++finished === tasks.length) stop();
          else give();
        }
      });
      worker.on('error', (err) => stop(err));
      give();
    }
    // This thread's share: the parts no worker has taken yet (the workers took theirs above).
    // Once a worker has failed, the command fails: stop reading here too (the throw ends the read).
    const progress = (n: number): void => {
      if (stopped) throw new Error('scan stopped');
      onBytes(n);
    };
    const here = async (): Promise<void> => {
      while (!stopped && next < tasks.length) {
        const k = next++;
        results[k] = await foldTask(tasks[k]!, progress);
        if (++finished === tasks.length) stop();
      }
    };
    here().catch((err: unknown) => stop(err instanceof Error ? err : new Error(String(err))));
  });
}

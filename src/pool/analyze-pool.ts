/**
 * Analyse many snapshot files over worker threads, yielding outcomes in the order of the
 * files as soon as each is ready (a report can be built, or a store fed, while later hosts
 * are still being analysed). One host's analysis is independent of the others', so each
 * worker takes the next file when it finishes one; results that finish early wait in a
 * buffer bounded by how far workers run ahead of the slowest.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { analyzeSnapshotFile, type HostOutcome, type SnapshotTask } from './analyze-snapshot-file.js';
import type { PoolReply } from './pool-messages.js';

/**
 * The thread count PORTCULLIS_THREADS asks for (`0` or `max`: every core), or `fallback`.
 * Shared by every command that can use worker threads, each with its own default.
 */
export function threadsFromEnv(fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const text = env.PORTCULLIS_THREADS?.trim();
  if (text === '0' || text === 'max') return availableParallelism();
  const n = Number(text);
  return text !== undefined && text !== '' && Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * One thread unless PORTCULLIS_THREADS asks for more. Measured on this project's 2-core
 * machine, quiet, two worker threads took twice the CPU and 1.8 times the wall time of one
 * (bench/fleet-audit.mjs, BENCHMARKS.md), so more threads are opt-in until that is understood.
 */
export function defaultThreads(env: NodeJS.ProcessEnv = process.env): number {
  return threadsFromEnv(1, env);
}

export interface PoolOptions {
  /** Threads to use; 1 analyses on this thread (no worker). Default {@link defaultThreads}. */
  threads?: number;
}

/** Outcomes of `tasks`, in their order. Stopping the iteration early stops the workers. */
export async function* analyzeSnapshots(tasks: readonly SnapshotTask[], options: PoolOptions = {}): AsyncGenerator<HostOutcome> {
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreads(), tasks.length));
  if (threads === 1) {
    for (const task of tasks) yield await analyzeSnapshotFile(task);
    return;
  }
  yield* inWorkers(tasks, threads);
}

async function* inWorkers(tasks: readonly SnapshotTask[], count: number): AsyncGenerator<HostOutcome> {
  const ready = new Map<number, HostOutcome>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  let next = 0;
  const workers: Worker[] = [];
  const give = (worker: Worker, slot: { index: number }): void => {
    if (next >= tasks.length) return;
    slot.index = next++;
    worker.postMessage(tasks[slot.index]);
  };
  for (let i = 0; i < count; i++) {
    const worker = new Worker(new URL('./analyze-worker.js', import.meta.url));
    workers.push(worker);
    const slot = { index: -1 };
    worker.on('message', (reply: PoolReply) => {
      if (reply.type === 'bug') failure ??= new Error(`analysis of ${tasks[slot.index]?.file ?? '?'} failed in a worker thread:\n${reply.message}`);
      else ready.set(slot.index, reply.outcome);
      give(worker, slot);
      notify();
    });
    worker.on('error', (err) => {
      failure ??= err;
      notify();
    });
    give(worker, slot);
  }
  try {
    for (let want = 0; want < tasks.length; want++) {
      while (!ready.has(want)) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const outcome = ready.get(want)!;
      ready.delete(want);
      yield outcome;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Runs many small network tasks with a bound on how many are in flight and a per-target
 * rate (tasks started per second per key), in the order given.
 *
 * @module
 */

export interface PoolOptions {
  /** Most tasks in flight at once. */
  concurrency: number;
  /** Most tasks started per second for one key (target); 0 for no limit. */
  ratePerKey: number;
  /** Called after each task with the count done so far. */
  onDone?: (done: number) => void;
}

export interface PoolTask<R> {
  key: string;
  run: () => Promise<R>;
}

export async function runPool<R>(tasks: readonly PoolTask<R>[], opts: PoolOptions): Promise<R[]> {
  const results = new Array<R>(tasks.length);
  const nextSlot = new Map<string, number>();
  const interval = opts.ratePerKey > 0 ? 1000 / opts.ratePerKey : 0;
  let next = 0;
  let done = 0;
  let inFlight = 0;
  return new Promise<R[]>((resolve, reject) => {
    const launch = (): void => {
      while (inFlight < opts.concurrency && next < tasks.length) {
        const index = next;
        const task = tasks[index]!;
        let wait = 0;
        if (interval > 0) {
          // Token slots per key: each start takes the next slot, interval ms after the previous.
          const now = Date.now();
          const slot = Math.max(now, nextSlot.get(task.key) ?? now);
          nextSlot.set(task.key, slot + interval);
          wait = slot - now;
        }
        next++;
        inFlight++;
        const start = () =>
          task.run().then(
            (r) => {
              results[index] = r;
              inFlight--;
              done++;
              opts.onDone?.(done);
              if (done === tasks.length) resolve(results);
              else launch();
            },
            reject,
          );
        if (wait > 0) setTimeout(start, wait);
        else void start();
      }
    };
    if (tasks.length === 0) resolve(results);
    else launch();
  });
}

/**
 * Waiting for the guard to finish what a request asked (confirm, rollback): guard.json
 * disappears when it is done, and outcome.json says how it ended. Null when the guard died
 * or did not finish in time.
 *
 * @module
 */
import { sameProcessAlive } from './process-identity.js';
import { readGuardLock, readOutcome, type ApplyOutcome, type GuardLock, type StatePaths } from './state-files.js';

export async function waitForGuard(paths: StatePaths, guard: GuardLock, withinMs: number): Promise<ApplyOutcome | null> {
  const start = Date.now();
  while (Date.now() - start < withinMs) {
    const lock = await readGuardLock(paths);
    if (!lock) return readOutcome(paths);
    if (!sameProcessAlive(guard.pid, guard.startTime)) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

/**
 * `apply --confirm` and `apply --rollback`: ask the armed guard (a request file in the state
 * dir; it answers by removing guard.json and writing outcome.json). When the guard is gone
 * (killed, machine rebooted), confirm just releases the lock and rollback restores the
 * backup itself, in the namespace the apply ran in.
 *
 * @module
 */
import { writeFileAtomic } from '../collect/atomic-write.js';
import { ApplyError } from './errors.js';
import { restoreFromBackup } from './guard-loop.js';
import { currentNetns, processStartTime, sameProcessAlive } from './process-identity.js';
import type { RunCommand } from './run-command.js';
import { readGuardLock, removeGuardLock, statePaths, writeOutcome, type ApplyOutcome, type GuardLock, type StatePaths } from './state-files.js';
import { waitForGuard } from './wait-for-guard.js';

async function armedLock(paths: StatePaths, verb: string): Promise<{ lock: GuardLock; alive: boolean }> {
  const lock = await readGuardLock(paths);
  const none = `nothing to ${verb}: no rollback guard is armed (${paths.guard} does not exist)`;
  if (!lock) throw new ApplyError('input', none);
  const alive = sameProcessAlive(lock.pid, lock.startTime);
  if (lock.phase === 'arming') {
    if (alive) throw new ApplyError('input', `an apply (pid ${lock.pid}) is still arming its guard; try again in a moment`);
    await removeGuardLock(paths); // died before loading anything
    throw new ApplyError('input', none);
  }
  return { lock, alive };
}

/** Leaves a request for the live guard and waits for its outcome; null when the guard died meanwhile (the caller acts in its stead). */
async function askGuard(paths: StatePaths, lock: GuardLock, request: 'confirm' | 'rollback', withinMs: number): Promise<ApplyOutcome | null> {
  await writeFileAtomic(request === 'confirm' ? paths.confirmRequest : paths.rollbackRequest, `${request}\n`);
  const outcome = await waitForGuard(paths, lock, withinMs);
  if (outcome) return outcome;
  if (sameProcessAlive(lock.pid, lock.startTime)) throw new ApplyError('input', `the guard (pid ${lock.pid}) did not finish within ${withinMs / 1000} s; see ${paths.log}`);
  return null;
}

export async function confirmApply(stateDir: string): Promise<ApplyOutcome> {
  const paths = statePaths(stateDir);
  const { lock, alive } = await armedLock(paths, 'confirm');
  const answered = alive ? await askGuard(paths, lock, 'confirm', 30_000) : null;
  if (answered) return answered;
  // Half restored is not a state to keep.
  if (lock.phase === 'restoring') throw new ApplyError('input', `the guard (pid ${lock.pid}) died while restoring the backup: run portcullis apply --rollback --state-dir ${stateDir} to finish it`);
  const outcome: ApplyOutcome = { kind: 'portcullis-apply-outcome', version: 1, at: new Date().toISOString(), result: 'kept', reason: 'confirmed', touched: [], failures: [], differences: [], inexact: [] };
  await writeOutcome(paths, outcome);
  await removeGuardLock(paths);
  return outcome;
}

export async function rollbackApply(stateDir: string, run: RunCommand): Promise<ApplyOutcome> {
  const paths = statePaths(stateDir);
  const { lock, alive } = await armedLock(paths, 'roll back');
  const answered = alive ? await askGuard(paths, lock, 'rollback', 120_000) : null;
  if (answered) return answered;
  const here = currentNetns();
  if (lock.netns !== here) throw new ApplyError('input', `the apply ran in network namespace ${lock.netns}, this is ${here}: run --rollback inside that namespace (e.g. ip netns exec NAME portcullis apply --rollback --state-dir ${stateDir})`);
  const log = (line: string): void => { process.stderr.write(`portcullis apply --rollback: ${line}\n`); };
  return restoreFromBackup(paths, { ...lock, phase: 'restoring', pid: process.pid, startTime: processStartTime(process.pid) ?? '0' }, 'rollback-requested', run, log);
}

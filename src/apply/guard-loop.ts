/**
 * The rollback guard's life: mark itself armed in guard.json (its pid, start time, network
 * namespace, deadline), then wait for a confirm request, a rollback request, SIGTERM or the
 * deadline. Confirmed: the loaded rules stay. Otherwise: the saved rules come back
 * (restore.ts) and outcome.json says what was touched and whether the result is exact.
 * guard.json is removed last: while it exists, a second apply is refused.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { ApplyError } from './errors.js';
import { currentNetns, processStartTime } from './process-identity.js';
import { restoreDumps } from './restore.js';
import type { RunCommand } from './run-command.js';
import { readBackup, readGuardLock, removeGuardLock, writeGuardLock, writeOutcome, type ApplyOutcome, type GuardLock, type OutcomeReason, type StatePaths } from './state-files.js';

const TICK_MS = 100;

export async function runGuard(paths: StatePaths, seconds: number, run: RunCommand, log: (line: string) => void): Promise<ApplyOutcome> {
  const lock = await readGuardLock(paths);
  if (!lock || lock.phase !== 'arming') throw new ApplyError('input', `${paths.guard}: the guard found no apply waiting to be armed`);
  const armed: GuardLock = {
    ...lock,
    phase: 'armed',
    pid: process.pid,
    startTime: processStartTime(process.pid) ?? '0',
    netns: currentNetns(),
    deadline: new Date(Date.now() + seconds * 1000).toISOString(),
    confirmWithinSeconds: seconds,
  };
  await writeGuardLock(paths, armed);
  log(`armed: pid ${process.pid}, ${armed.netns}, restores the backup at ${armed.deadline} unless confirmed`);

  let signalled = false;
  // The terminal and the SSH session may go away: that is what the guard is for.
  process.on('SIGHUP', () => log('SIGHUP ignored'));
  process.on('SIGINT', () => log('SIGINT ignored'));
  // Shutdown or an admin's kill: the unconfirmed rules should not outlive the guard.
  process.on('SIGTERM', () => { signalled = true; });

  const deadline = Date.parse(armed.deadline!);
  let reason: OutcomeReason | null = null;
  while (reason === null) {
    if (existsSync(paths.confirmRequest)) {
      const outcome = finished('kept', 'confirmed', { touched: [], failures: [], differences: [], inexact: [] });
      await writeOutcome(paths, outcome);
      await clearRequests(paths);
      await removeGuardLock(paths);
      log('confirmed: the new rules stay');
      return outcome;
    }
    if (existsSync(paths.rollbackRequest)) reason = (await readFile(paths.rollbackRequest, 'utf8').catch(() => '')).trim() === 'load-failed' ? 'load-failed' : 'rollback-requested';
    else if (signalled) reason = 'signal';
    else if (Date.now() >= deadline) reason = 'timeout';
    else await new Promise((r) => setTimeout(r, TICK_MS));
  }
  log(`restoring the backup (${reason})`);
  return restoreFromBackup(paths, { ...armed, phase: 'restoring' }, reason, run, log);
}

/** Puts the backup back, records the outcome and releases the lock (the guard's, or --rollback's when the guard is gone). */
export async function restoreFromBackup(paths: StatePaths, lock: GuardLock, reason: OutcomeReason, run: RunCommand, log: (line: string) => void): Promise<ApplyOutcome> {
  await writeGuardLock(paths, lock);
  const { dumps } = await readBackup(paths);
  const r = await restoreDumps(dumps, run);
  const outcome = { ...finished(r.exact ? 'rolled-back' : 'restore-failed', reason, r), rulesBackAt: r.rulesBackAt.toISOString() };
  await writeOutcome(paths, outcome);
  await clearRequests(paths);
  await removeGuardLock(paths);
  log(`${outcome.result}: touched ${r.touched.length ? r.touched.join('; ') : 'nothing (already as saved)'}`);
  for (const f of r.failures) log(`failed: ${f}`);
  if (r.differences.length) log(`still differs from the backup: ${r.differences.join(', ')}`);
  return outcome;
}

export async function clearRequests(paths: StatePaths): Promise<void> {
  await rm(paths.confirmRequest, { force: true });
  await rm(paths.rollbackRequest, { force: true });
}

function finished(result: ApplyOutcome['result'], reason: OutcomeReason, r: Pick<ApplyOutcome, 'touched' | 'failures' | 'differences' | 'inexact'>): ApplyOutcome {
  return { kind: 'portcullis-apply-outcome', version: 1, at: new Date().toISOString(), result, reason, touched: r.touched, failures: r.failures, differences: r.differences, inexact: r.inexact };
}

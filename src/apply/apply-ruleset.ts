/**
 * `apply`: check the file loads (without loading it), run the proof, take the lock, save
 * every backend's rules, arm the guard, and only then load. The guard is armed before the
 * load, so there is no moment where new rules are in and no way back exists; a load that
 * fails is rolled back at once by the same guard. Returns what it touched.
 *
 * @module
 */
import { writeFileAtomic } from '../collect/atomic-write.js';
import type { ApplyInput } from './apply-input.js';
import { resolveApplyInput } from './apply-input.js';
import { ApplyError } from './errors.js';
import { clearRequests } from './guard-loop.js';
import { currentNetns, processStartTime, sameProcessAlive } from './process-identity.js';
import type { ProofVerdict, ProveRuleset } from './proof-step.js';
import { takeDumps } from './ruleset-dumps.js';
import type { RunCommand } from './run-command.js';
import type { SpawnGuard } from './spawn-guard.js';
import { createGuardLock, prepareStateDir, readGuardLock, removeGuardLock, writeBackup, type BackupManifest, type GuardLock, type StatePaths } from './state-files.js';
import { waitForGuard } from './wait-for-guard.js';

export interface ApplyDeps {
  run: RunCommand;
  spawnGuard: SpawnGuard;
  /** Absent: no engine proof is available in this build (said in the report). */
  prove?: ProveRuleset;
}

export interface ApplyReport {
  input: ApplyInput;
  proof: ProofVerdict | null;
  manifest: BackupManifest;
  guard: GuardLock;
  /** The commands that loaded the new rules. */
  loaded: string[];
  paths: StatePaths;
}

export async function applyRuleset(opts: { path: string; stateDir: string; confirmWithin: number }, deps: ApplyDeps): Promise<ApplyReport> {
  const input = await resolveApplyInput(opts.path);
  const paths = await prepareStateDir(opts.stateDir);
  await refuseWhileArmed(paths);
  await checkLoads(input, deps.run);
  const proof = deps.prove ? await deps.prove(input) : null;
  if (proof && !proof.holds) throw new ApplyError('refused', `the proof does not hold; nothing was changed:\n${proof.lines.map((l) => `  ${l}`).join('\n')}`);

  const netns = currentNetns();
  const arming: GuardLock = {
    kind: 'portcullis-apply-guard', version: 1, phase: 'arming', pid: process.pid, startTime: processStartTime(process.pid) ?? '0', netns,
    createdAt: new Date().toISOString(), deadline: null, applied: { path: input.path, files: input.files.map((f) => f.path) },
  };
  if (!(await createGuardLock(paths, arming))) await refuseWhileArmed(paths, true);
  let manifest: BackupManifest;
  let guard: GuardLock;
  try {
    await clearRequests(paths);
    manifest = await writeBackup(paths, await takeDumps(deps.run), netns, new Date());
    guard = await deps.spawnGuard(paths, opts.confirmWithin);
  } catch (err) {
    await removeGuardLock(paths); // nothing was loaded: the lock is ours to drop
    throw err;
  }

  const loaded: string[] = [];
  for (const file of input.files) {
    const r = await deps.run(file.load);
    if (r.ok && r.code === 0) {
      loaded.push(file.load.join(' '));
      continue;
    }
    await writeFileAtomic(paths.rollbackRequest, 'load-failed\n');
    const outcome = await waitForGuard(paths, guard, 120_000);
    const back = outcome?.result === 'rolled-back' ? 'the rules are as they were' : `the guard could not restore exactly (see ${paths.log}; restore by hand from ${paths.backupDir})`;
    throw new ApplyError('input', `${file.path} did not load (${r.ok ? r.stderr.trim().slice(0, 600) : r.message}); ${back}`);
  }
  return { input, proof, manifest, guard, loaded, paths };
}

/** `nft -c -f` / `iptables-restore --test`: the kernel's tools accept every file, nothing loaded. */
async function checkLoads(input: ApplyInput, run: RunCommand): Promise<void> {
  for (const file of input.files) {
    const r = await run(file.check);
    if (!r.ok) throw new ApplyError('input', `cannot check ${file.path}: ${file.check[0]} could not run (${r.message})`);
    if (r.code !== 0) throw new ApplyError('input', `${file.path} does not load (${file.check.join(' ')} says: ${r.stderr.trim().slice(0, 800) || `exit ${r.code}`}); the running rules are untouched`);
  }
}

/**
 * Refuses while a guard holds the lock. A lock whose holder died while arming is dropped
 * (nothing had been loaded); one whose guard died armed is not: its rules are unconfirmed.
 */
async function refuseWhileArmed(paths: StatePaths, lost = false): Promise<void> {
  const lock = await readGuardLock(paths);
  if (!lock) {
    if (lost) throw new ApplyError('input', `another apply took the lock (${paths.guard}) at the same moment; try again`);
    return;
  }
  const alive = sameProcessAlive(lock.pid, lock.startTime);
  if (lock.phase === 'arming' && !alive) {
    await removeGuardLock(paths);
    if (lost) throw new ApplyError('input', `another apply took the lock (${paths.guard}) at the same moment; try again`);
    return;
  }
  const dir = `--state-dir ${paths.dir}`;
  if (lock.phase === 'arming') throw new ApplyError('input', `another apply (pid ${lock.pid}) is arming its guard (${paths.guard}); wait for it`);
  if (alive) throw new ApplyError('input', `a rollback guard is armed (pid ${lock.pid}, restores the previous rules at ${lock.deadline}) for ${lock.applied.path}; first run: portcullis apply --confirm ${dir}  (keep) or  portcullis apply --rollback ${dir}  (restore)`);
  throw new ApplyError('input', `the rollback guard (pid ${lock.pid}) of the apply of ${lock.applied.path} is gone without confirm or rollback: those rules are still loaded, unconfirmed; run portcullis apply --rollback ${dir} (restore the backup) or --confirm ${dir} (keep them) first`);
}

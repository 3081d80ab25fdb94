/**
 * Starts the guard so that it outlives the applying process, its terminal and its SSH
 * session: a new session (`detached`, i.e. setsid), no stdin, output appended to the state
 * dir's guard.log, not waited for. It inherits this process's network namespace (and mount
 * namespace, as `ip netns exec` sets up), so it restores the rules of the namespace the
 * apply changed. Returns once the guard has written itself into guard.json as armed.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApplyError } from './errors.js';
import { readGuardLock, type GuardLock, type StatePaths } from './state-files.js';

const GUARD_MAIN = fileURLToPath(new URL('./guard-main.js', import.meta.url));
const READY_WITHIN_MS = 30_000;

export type SpawnGuard = (paths: StatePaths, seconds: number) => Promise<GuardLock>;

export const spawnDetachedGuard: SpawnGuard = async (paths, seconds) => {
  const logFd = openSync(paths.log, 'a', 0o600);
  const child = spawn(process.execPath, [GUARD_MAIN, paths.dir, String(seconds)], { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let exited: number | null = null;
  child.on('exit', (code) => { exited = code ?? -1; });
  child.unref();
  const start = Date.now();
  while (Date.now() - start < READY_WITHIN_MS) {
    const lock = await readGuardLock(paths);
    if (lock && lock.phase === 'armed' && lock.pid === child.pid) return lock;
    if (exited !== null) throw new ApplyError('backup', `the rollback guard exited (status ${exited}) before it was armed; see ${paths.log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new ApplyError('backup', `the rollback guard was not armed within ${READY_WITHIN_MS / 1000} s; see ${paths.log}`);
};

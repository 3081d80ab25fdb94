/**
 * Vitest global setup: deletes test namespaces a killed run left behind (see
 * {@link staleNamespaces}), and says which, before any test makes its own. Each run registers
 * its pid in {@link RUNS_DIR} (on /run, emptied at boot) for the length of the suite, so the
 * sweep knows whether another run could own a young namespace. Does nothing without root or
 * without iproute2: the kernel tests then say why they skip.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { anotherRunAlive, staleNamespaces, type NamespaceFacts } from './stale-namespaces.js';

/** One empty file per running suite, named by the pid of vitest's main process. */
const RUNS_DIR = '/run/portcullis-test-runs';

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

function namespaceFacts(): NamespaceFacts[] {
  const names = ip(['netns', 'list']).split('\n').map((line) => line.split(' ')[0]!).filter(Boolean);
  return names.map((name) => ({
    name,
    createdMs: statSync(`/run/netns/${name}`).mtimeMs,
    pids: ip(['netns', 'pids', name]).split('\n').filter(Boolean).length,
  }));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Registers this run; returns whether another registered run is alive (dead ones are forgotten). */
function registerRun(): boolean {
  mkdirSync(RUNS_DIR, { recursive: true });
  const registered = readdirSync(RUNS_DIR).map(Number).filter((pid) => Number.isInteger(pid) && pid > 0);
  for (const pid of registered) if (pid !== process.pid && !isAlive(pid)) rmSync(join(RUNS_DIR, String(pid)), { force: true });
  writeFileSync(join(RUNS_DIR, String(process.pid)), '');
  return anotherRunAlive(registered, process.pid, isAlive);
}

export default function setup(): (() => void) | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let facts: NamespaceFacts[];
  let otherRun: boolean;
  try {
    otherRun = registerRun();
    facts = namespaceFacts();
  } catch {
    return undefined; // no iproute2 or no /run/netns: nothing can have been left behind
  }
  for (const name of staleNamespaces(facts, Date.now(), otherRun)) {
    try {
      ip(['netns', 'del', name]);
      rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
      process.stderr.write(`test setup: deleted namespace ${name}, left behind by a killed test run\n`);
    } catch (err) {
      process.stderr.write(`test setup: could not delete stale namespace ${name}: ${(err as Error).message}\n`);
    }
  }
  return () => rmSync(join(RUNS_DIR, String(process.pid)), { force: true });
}

/**
 * Last-resort cleanup: whatever a test created (namespaces, child processes, files bound
 * over the host's) is undone in a process 'exit' handler too, so a crashed or interrupted
 * run leaves nothing behind. Tests still clean up in afterAll / finally; this is the net.
 *
 * @module
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const namespaces = new Set<string>();
const children = new Set<ChildProcess>();
let installed = false;

function cleanupNow(): void {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already dead
    }
  }
  children.clear();
  for (const ns of namespaces) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
  }
  namespaces.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupNow);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      cleanupNow();
      process.kill(process.pid, sig);
    });
  }
}

/** Remembers a namespace to delete at exit. */
export function trackNamespace(ns: string): void {
  install();
  namespaces.add(ns);
}

export function untrackNamespace(ns: string): void {
  namespaces.delete(ns);
}

/** Remembers a child process to kill at exit. */
export function trackChild(child: ChildProcess): void {
  install();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

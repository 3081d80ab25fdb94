/**
 * Running commands for the audit end-to-end harness: argv only (no shell), plus a
 * last-resort cleanup of whatever the harness started (namespaces, daemons, temp dirs)
 * in a process 'exit' handler, so a crashed run leaves nothing behind.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Runs argv synchronously; throws with the command, exit code and output when it fails. */
export function run(argv, input = '') {
  try {
    return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    throw new Error(`command failed (exit ${err.status ?? '?'}): ${argv.join(' ')}\n${err.stderr ?? ''}${err.stdout ?? ''}`);
  }
}

/** Runs argv and returns {code, stdout, stderr}; never throws. */
export function tryRun(argv, input = '', timeoutMs = 10_000) {
  try {
    const stdout = execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    return { code: typeof err.status === 'number' ? err.status : -1, stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? err.message ?? '') };
  }
}

/** `ip netns exec NS argv…`. */
export function runIn(ns, argv, input = '') {
  return run(['ip', 'netns', 'exec', ns, ...argv], input);
}

const namespaces = new Set();
const children = new Set();
const dirs = new Set();
let installed = false;

function cleanupNow() {
  for (const child of children) {
    try {
      // Daemons run as process-group leaders (detached): kill the whole group (nginx workers, socat forks).
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
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
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

function install() {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupNow);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      cleanupNow();
      process.kill(process.pid, sig);
    });
  }
}

export function trackNamespace(ns) {
  install();
  namespaces.add(ns);
}
export function untrackNamespace(ns) {
  namespaces.delete(ns);
}
export function trackChild(child) {
  install();
  children.add(child);
  child.once('exit', () => children.delete(child));
}
export function untrackChild(child) {
  children.delete(child);
}
export function trackDir(dir) {
  install();
  dirs.add(dir);
}
export function untrackDir(dir) {
  dirs.delete(dir);
}

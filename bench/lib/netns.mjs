/**
 * Throwaway network namespaces for checks and baselines. Every namespace made here is
 * named `pc-bench-<pid>-<n>` and deleted on exit, also on SIGINT/SIGTERM or a crash.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';

const made = new Set();
let counter = 0;

function cleanup() {
  for (const ns of made) spawnSync('ip', ['netns', 'del', ns]);
  made.clear();
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanup(); process.exit(130); });

/** Runs argv; throws with stderr on a non-zero exit. Returns stdout. */
export function run(argv, { input, allowFail = false } = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status !== 0 && !allowFail) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return r;
}

/** Creates a namespace with loopback up; returns its name. */
export function createNetns(tag = '') {
  const ns = `pc-bench-${process.pid}-${tag}${counter++}`;
  run(['ip', 'netns', 'add', ns]);
  made.add(ns);
  run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  return ns;
}

export function deleteNetns(ns) {
  if (!made.has(ns)) return;
  spawnSync('ip', ['netns', 'del', ns]);
  made.delete(ns);
}

/** argv run inside `ns`. */
export const inNetns = (ns, argv) => ['ip', 'netns', 'exec', ns, ...argv];

/** True when this process may create namespaces (root with iproute2). */
export function netnsAvailable() {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('ip', ['-V']).status === 0;
}

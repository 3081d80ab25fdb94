/**
 * A {@link HostIO} that answers from an {@link SshBundle}: the raw reads the collector
 * script made on the target, so `collectSnapshot` runs unchanged and writes the snapshot a
 * local collect on that host would have written. A question the bundle has no answer for
 * is an honest "not present" (ENOENT), listed in `misses` so tests can prove there are none.
 *
 * @module
 */
import type { SshBundle } from '../../parse/ssh-bundle/index.js';
import type { ExecResult, HostIO } from '../host-io.js';

const MESSAGES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EIO: 'i/o error',
};

function fsError(code: string, syscall: string, path: string, note = ''): Error {
  // Shaped like node:fs errors: the collector reads `code`, and `message` for rare codes.
  return Object.assign(new Error(`${code}: ${MESSAGES[code] ?? 'error'}${note}, ${syscall} '${path}'`), { code, syscall, path });
}

/** The target's reads replayed; `now` is the time written as collectedAt. */
export function replayHostIO(bundle: SshBundle, now: () => Date = () => new Date()): HostIO & { misses: string[] } {
  const misses: string[] = [];
  const missing = (syscall: string, path: string): Error => {
    misses.push(`${syscall} ${path}`);
    return fsError('ENOENT', syscall, path, ' (not in the SSH collector\'s bundle)');
  };
  const uid = (key: string): number => {
    const v = bundle.meta.get(key);
    // A target that cannot say who we are is treated as a normal user: less is claimed.
    return v !== undefined && v !== null && /^\d+$/.test(v) ? Number(v) : 65534;
  };
  return {
    misses,
    exec: async (argv): Promise<ExecResult> => {
      const r = bundle.execs.get(argv.join(' '));
      if (r === undefined) {
        misses.push(`exec ${argv.join(' ')}`);
        return { ok: false, error: 'ENOENT', message: `spawn ${argv[0]} ENOENT (not in the SSH collector's bundle)` };
      }
      if (!r.ran) return { ok: false, error: 'ENOENT', message: `spawn ${argv[0]} ENOENT` };
      return { ok: true, code: r.code, stdout: r.stdout, stderr: r.stderr };
    },
    readFile: async (path) => {
      const r = bundle.files.get(path);
      if (r === undefined) throw missing('open', path);
      if (!r.ok) throw fsError(r.code, 'open', path);
      return r.value;
    },
    readdir: async (path) => {
      const r = bundle.dirs.get(path);
      if (r === undefined) throw missing('scandir', path);
      if (!r.ok) throw fsError(r.code, 'scandir', path);
      return [...r.value];
    },
    readlink: async (path) => {
      const r = bundle.links.get(path);
      if (r === undefined) throw missing('readlink', path);
      return r;
    },
    getuid: () => uid('ruid'),
    geteuid: () => uid('euid'),
    hostname: () => bundle.meta.get('hostname') ?? 'unknown',
    kernelRelease: () => bundle.meta.get('kernel') ?? null,
    now,
  };
}

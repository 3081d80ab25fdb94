/**
 * An in-memory {@link HostIO} for tests: files, symlinks and command results as plain data.
 * Directories are implied by the paths below them; commands not listed are "not installed".
 *
 * @module
 */
import type { ExecResult, HostIO } from './host-io.js';

/** The host a test describes. */
export interface FakeHost {
  files?: Record<string, string>;
  links?: Record<string, string>;
  /** argv joined by spaces → result; a bare string is stdout with exit code 0. */
  commands?: Record<string, string | ExecResult>;
  /** Paths (files or directories) that answer EACCES. */
  denied?: string[];
  uid?: number;
  euid?: number;
  hostname?: string;
  kernel?: string | null;
  now?: Date;
}

function errno(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${path}`), { code });
}

/** A HostIO over plain data; `calls` lists the commands run, in order. */
export function fakeHostIO(host: FakeHost): HostIO & { calls: string[] } {
  const files = host.files ?? {};
  const links = host.links ?? {};
  const denied = new Set(host.denied ?? []);
  const calls: string[] = [];
  const check = (path: string): void => {
    if (denied.has(path)) throw errno('EACCES', path);
  };
  return {
    calls,
    exec: async (argv) => {
      const key = argv.join(' ');
      calls.push(key);
      const r = host.commands?.[key];
      if (r === undefined) return { ok: false, error: 'ENOENT', message: `spawn ${argv[0]} ENOENT` };
      return typeof r === 'string' ? { ok: true, code: 0, stdout: r, stderr: '' } : r;
    },
    readFile: async (path) => {
      check(path);
      const v = files[path];
      if (v === undefined) throw errno('ENOENT', path);
      return v;
    },
    readdir: async (path) => {
      check(path);
      const prefix = path.endsWith('/') ? path : path + '/';
      const names = new Set<string>();
      for (const p of [...Object.keys(files), ...Object.keys(links)]) {
        if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
      }
      if (names.size === 0) throw errno('ENOENT', path);
      return [...names].sort();
    },
    readlink: async (path) => {
      check(path);
      const v = links[path];
      if (v === undefined) throw errno('ENOENT', path);
      return v;
    },
    getuid: () => host.uid ?? 0,
    geteuid: () => host.euid ?? host.uid ?? 0,
    hostname: () => host.hostname ?? 'test-host',
    kernelRelease: () => (host.kernel === undefined ? '6.1.0-test' : host.kernel),
    now: () => host.now ?? new Date('2026-01-31T12:00:00.000Z'),
  };
}

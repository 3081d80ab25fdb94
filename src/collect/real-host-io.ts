/**
 * {@link HostIO} on the real machine: node:child_process `execFile` (argv, no shell, a
 * timeout) and node:fs.
 *
 * @module
 */
import { isAscii } from 'node:buffer';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname, release } from 'node:os';
import type { ExecResult, HostIO } from './host-io.js';

/** A firewall dump of a big host takes a second or two; a hung tool must not hang collect. */
// nft -j on a loaded 56,000-rule kube-proxy node took over 30 s (issue 8); `collect --tool-timeout` sets it.
const EXEC_TIMEOUT_MS = 120_000;
/** nft -j of a host with many Docker networks runs to tens of MB. */
const EXEC_MAX_BUFFER = 512 * 1024 * 1024;

const ENV = { ...process.env, LC_ALL: 'C' };

/** The kernel's own file systems. */
const KERNEL_FILES = /^\/(proc|sys)\//;

function run(argv: readonly string[], timeoutMs: number, input: string | undefined): Promise<ExecResult> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (file === undefined) return resolve({ ok: false, error: 'EINVAL', message: 'empty command' });
    const child = execFile(
      file,
      args,
      // Bytes, decoded once at the end: decoded per 64 KB chunk, a multi-MB dump passed through
      // the 1 MB young generation as strings that every scavenge copied (issue 8).
      { encoding: 'buffer', timeout: timeoutMs, maxBuffer: EXEC_MAX_BUFFER, env: ENV },
      (err, stdoutBytes, stderrBytes) => {
        const stdout = decode(stdoutBytes);
        const stderr = decode(stderrBytes);
        if (!err) return resolve({ ok: true, code: 0, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string | null };
        if (typeof e.code === 'number') return resolve({ ok: true, code: e.code, stdout, stderr });
        if (e.killed || e.signal) {
          return resolve({ ok: false, error: 'ETIMEDOUT', message: `${file} did not finish within ${timeoutMs / 1000} s (signal ${e.signal ?? 'unknown'})` });
        }
        resolve({ ok: false, error: typeof e.code === 'string' ? e.code : 'EUNKNOWN', message: e.message });
      },
    );
    if (input !== undefined) {
      // A tool that exits without reading it all closes the pipe: EPIPE here is not its failure.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input);
    }
  });
}

/**
 * A tool's bytes as text. ASCII (every dump of a usual host) read as Latin-1 is the same string
 * as UTF-8 gives, made without UTF-8's validation: 6-7 ms against 10 ms of CPU for the 1.9 MB of
 * f2b-ipset-50000's `ipset save`, on collect's critical path (issue 8). Anything else: UTF-8.
 */
function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** The real host; `timeoutMs` bounds each command (default 120 s). */
export function realHostIO(options: { timeoutMs?: number } = {}): HostIO {
  const timeoutMs = options.timeoutMs ?? EXEC_TIMEOUT_MS;
  return {
    exec: (argv, input) => run(argv, timeoutMs, input),
    // /proc and /sys answer from memory: a synchronous read costs a fraction of the CPU of a
    // FileHandle's thread-pool round trips, and collect reads ~40 of them (issue 8).
    readFile: async (path) => (KERNEL_FILES.test(path) ? readFileSync(path, 'utf8') : readFile(path, 'utf8')),
    // Only /proc and /sys are listed and their links read, which answer from memory: a
    // synchronous call costs a third of the CPU of a thread-pool round trip, and collect
    // makes one per open file of every process (issue 8).
    readdir: async (path) => readdirSync(path),
    readlink: async (path) => readlinkSync(path),
    getuid: () => process.getuid?.() ?? 0,
    geteuid: () => process.geteuid?.() ?? 0,
    hostname: () => hostname(),
    kernelRelease: () => {
      try {
        return release();
      } catch {
        return null;
      }
    },
    now: () => new Date(),
  };
}

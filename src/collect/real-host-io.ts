/**
 * {@link HostIO} on the real machine: node:child_process `execFile` (argv, no shell, a
 * timeout) and node:fs.
 *
 * @module
 */
import { isAscii } from 'node:buffer';
import { execFile, spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, statfsSync, unlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname, release } from 'node:os';
import { join } from 'node:path';
import type { ExecResult, HostIO } from './host-io.js';

/** A firewall dump of a big host takes a second or two; a hung tool must not hang collect. */
// nft -j on a loaded 56,000-rule kube-proxy node took over 30 s (issue 8); `collect --tool-timeout` sets it.
const EXEC_TIMEOUT_MS = 120_000;
/** nft -j of a host with many Docker networks runs to tens of MB. */
const EXEC_MAX_BUFFER = 512 * 1024 * 1024;
/** How often a tool's output file is measured against that limit. */
const OUTPUT_WATCH_MS = 100;

const ENV = { ...process.env, LC_ALL: 'C' };

/** The kernel's own file systems. */
const KERNEL_FILES = /^\/(proc|sys)\//;

function run(argv: readonly string[], timeoutMs: number, maxBytes: number, input: string | undefined): Promise<ExecResult> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (file === undefined) return resolve({ ok: false, error: 'EINVAL', message: 'empty command' });
    const child = execFile(
      file,
      args,
      // Bytes, decoded once at the end: decoded per 64 KB chunk, a multi-MB dump passed through
      // the 1 MB young generation as strings that every scavenge copied (issue 8).
      { encoding: 'buffer', timeout: timeoutMs, maxBuffer: maxBytes, env: ENV },
      (err, stdoutBytes, stderrBytes) => {
        const stdout = decode(stdoutBytes);
        const stderr = decode(stderrBytes);
        if (!err) return resolve({ ok: true, code: 0, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string | null };
        if (typeof e.code === 'number') return resolve({ ok: true, code: e.code, stdout, stderr });
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve(tooMuchOutput(file, maxBytes));
        if (e.killed || e.signal) {
          return resolve(timedOut(file, timeoutMs, e.signal ?? 'unknown'));
        }
        resolve({ ok: false, error: typeof e.code === 'string' ? e.code : 'EUNKNOWN', message: e.message });
      },
    );
    // A tool that exits without reading it all closes the pipe: EPIPE here is not its failure.
    child.stdin?.on('error', () => undefined);
    // No input: the end at once, as the file path's /dev/null gives (a tool that reads its
    // standard input must not wait for the time limit).
    child.stdin?.end(input);
  });
}

/** A tool stopped by a signal: our time limit's, or whoever else's. */
function timedOut(file: string, timeoutMs: number, signal: string): ExecResult {
  return { ok: false, error: 'ETIMEDOUT', message: `${file} did not finish within ${timeoutMs / 1000} s (signal ${signal})` };
}

/** A tool stopped for printing more than `maxBytes`: no dump is that big, so it is not one. */
function tooMuchOutput(file: string, maxBytes: number): ExecResult {
  return { ok: false, error: 'EFBIG', message: `${file} printed more than ${maxBytes} bytes and was stopped` };
}

/**
 * Runs argv with its standard output in `scratch`, an unlinked file of ours, instead of a pipe;
 * the same result as {@link run} gives. Why (issue 8): a pipe holds 64 KB, and every tool
 * collect starts holds this thread for a fork and exec (6-15 ms each), during which nothing
 * reads the pipe: f2b-ipset-50000's `ipset save` (1.9 MB, 45 ms alone) took 100 ms in collect,
 * stalled behind the other starts. A file never makes the tool wait for this thread.
 */
function runToFile(argv: readonly string[], timeoutMs: number, maxBytes: number, scratch: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    const [file, ...args] = argv as [string, ...string[]];
    let settled = false;
    const settle = (result: ExecResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const stderrChunks: Buffer[] = [];
    // No input: /dev/null, not a pipe (one socket pair less per tool started, issue 8; a tool that
    // reads its standard input sees its end at once rather than waiting for the time limit).
    const child = spawn(file, args, { stdio: ['ignore', scratch, 'pipe'], env: ENV });
    // Our own timer, not spawn's `timeout`: that one outlives a tool that could not start
    // (ENOENT), and kept collect waiting for it (a bare PATH took 120 s).
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    // A pipe stops a runaway tool at maxBytes (execFile's maxBuffer); a file would fill the
    // temporary folder until the time limit, so its size is watched instead.
    let overflowed = false;
    const watch = setInterval(() => {
      if (!overflowed && sizeOf(scratch) > maxBytes) {
        overflowed = true;
        child.kill('SIGTERM');
      }
    }, OUTPUT_WATCH_MS);
    child.stderr?.on('data', (chunk: Buffer) => stderrChunks.push(chunk));
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      clearInterval(watch);
      closeQuietly(scratch);
      settle({ ok: false, error: typeof err.code === 'string' ? err.code : 'EUNKNOWN', message: err.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      if (settled) return;
      // More than a pipe would have taken: not read, the answer execFile gives.
      if (overflowed || sizeOf(scratch) > maxBytes) {
        closeQuietly(scratch);
        return settle(tooMuchOutput(file, maxBytes));
      }
      let stdoutBytes: Buffer;
      try {
        stdoutBytes = readWhole(scratch);
      } finally {
        closeQuietly(scratch);
      }
      if (signal !== null) {
        return settle(timedOut(file, timeoutMs, signal));
      }
      settle({ ok: true, code: code ?? 0, stdout: decode(stdoutBytes), stderr: decode(Buffer.concat(stderrChunks)) });
    });
  });
}

/** The open file's size; 0 once it is closed. */
function sizeOf(fd: number): number {
  try {
    return fstatSync(fd).size;
  } catch {
    return 0;
  }
}

/** The file's whole content, read from its start. */
function readWhole(fd: number): Buffer {
  const bytes = Buffer.allocUnsafe(fstatSync(fd).size);
  for (let at = 0; at < bytes.length; ) {
    const n = readSync(fd, bytes, at, bytes.length - at, at);
    if (n === 0) return bytes.subarray(0, at);
    at += n;
  }
  return bytes;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to release.
  }
}

/** Tells this process's output files apart. */
let scratchCount = 0;

/**
 * An unlinked file in `dir` for one tool's output, or null (then a pipe): when `dir` cannot
 * hold the largest output a pipe would take, or cannot be written. Read and write, ours only,
 * gone from the folder before the tool starts. Made synchronously: the tools start in the
 * order collect asks for them, the slowest dumps first (firewall.ts). The name need not be
 * secret: it is created exclusively (a file or link already there fails, and a pipe is used).
 */
function scratchFile(dir: string, maxBytes: number): number | null {
  try {
    const fs = statfsSync(dir);
    if (fs.bavail * fs.bsize < maxBytes) return null;
    const path = join(dir, `portcullis-out-${process.pid}-${scratchCount++}`);
    const fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
    return fd;
  } catch {
    return null;
  }
}

/**
 * A tool's bytes as text. ASCII (every dump of a usual host) read as Latin-1 is the same string
 * as UTF-8 gives, made without UTF-8's validation: 6-7 ms against 10 ms of CPU for the 1.9 MB of
 * f2b-ipset-50000's `ipset save`, on collect's critical path (issue 8). Anything else: UTF-8.
 */
function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * The real host; `timeoutMs` bounds each command (default 120 s). `outputDir`: a folder where
 * each command without input writes its output to an unlinked file of ours rather than to a
 * pipe ({@link runToFile}; `collect` gives the system's temporary folder), or, when absent,
 * pipes only. `maxOutputBytes` (default 512 MB): a command printing more is stopped and fails
 * (EFBIG), through a pipe or a file alike.
 */
export function realHostIO(options: { timeoutMs?: number; outputDir?: string; maxOutputBytes?: number } = {}): HostIO {
  const timeoutMs = options.timeoutMs ?? EXEC_TIMEOUT_MS;
  const maxBytes = options.maxOutputBytes ?? EXEC_MAX_BUFFER;
  const outputDir = options.outputDir;
  return {
    exec: (argv, input) => {
      const scratch = input === undefined && argv[0] !== undefined && outputDir !== undefined ? scratchFile(outputDir, maxBytes) : null;
      return scratch === null ? run(argv, timeoutMs, maxBytes, input) : runToFile(argv, timeoutMs, maxBytes, scratch);
    },
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

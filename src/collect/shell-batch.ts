/**
 * Many commands through one `/bin/sh`, all at once. Node starts every child by forking its
 * whole process (libuv `fork`): on the 2-core bench machine twelve `execFile`s cost the
 * collector 80-130 ms of CPU and over half a second of wall time at load, one `sh` that
 * starts the twelve about a tenth of that (issue 8). The results are those `execFile`
 * gives: stdout and stderr apart and whole, the exit code, ENOENT for a missing tool,
 * ETIMEDOUT for one stopped after the time limit.
 *
 * Output goes to files, not pipes: Node's child pipes are sockets, which sh cannot reach
 * past fd 9, while a file descriptor handed down as fd N is reopened as /proc/self/fd/N.
 * Each file is unlinked as soon as it is created, so nothing is left behind, even by a
 * killed collect. sh reports "pid I PID" when command I starts and "end I RC" when it has
 * exited, its output then complete.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ExecResult } from './host-io.js';

/** What the batch needs to know besides the commands. */
export interface ShellBatchOptions {
  /** Per command, as execFile's `timeout`: SIGTERM after this long. */
  timeoutMs: number;
  /** Per stream, as execFile's `maxBuffer`. */
  maxBuffer: number;
  env: NodeJS.ProcessEnv;
}

/** sh exits with this when it cannot reopen a file as /proc/self/fd/N (no /proc): the caller runs the commands another way. */
export const NO_PROC_FD = 97;

/** A word for sh: single-quoted, a quote inside as '\'' . */
function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The sh script: per command a background job reporting "pid I PID", then "end I RC" (RC
 * may be ENOENT). The job is a subshell that waits for its command, so each end comes when
 * that command is done: waited for in turn, a quick command would wait for a slow one before
 * it and could pass its own time limit.
 */
export function shellBatchScript(commands: readonly (readonly string[])[]): string {
  const lines = [`{ :; } >/proc/self/fd/3 || exit ${NO_PROC_FD}`];
  commands.forEach((argv, i) => {
    const redirect = `>/proc/self/fd/${3 + 2 * i} 2>/proc/self/fd/${4 + 2 * i}`;
    lines.push(`{ if command -v ${quote(argv[0]!)} >/dev/null 2>&1; then ${argv.map(quote).join(' ')} ${redirect} & echo "pid ${i} $!"; wait $!; rc=$?; else rc=ENOENT; fi; echo "end ${i} $rc"; } &`);
  });
  lines.push('wait');
  return lines.join('\n');
}

/** One command's state while the batch runs. */
interface Pending {
  argv: readonly string[];
  files: [FileHandle, FileHandle];
  pid: number | null;
  timedOut: boolean;
  done: boolean;
  timer: NodeJS.Timeout | undefined;
  resolve: (r: ExecResult | null) => void;
}

/** A file's whole content, or null when it is over `max` bytes. */
async function content(file: FileHandle, max: number): Promise<string | null> {
  const { size } = await file.stat();
  if (size > max) return null;
  const buffer = Buffer.allocUnsafe(size);
  let read = 0;
  while (read < size) {
    const { bytesRead } = await file.read(buffer, read, size - read, read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return buffer.subarray(0, read).toString('utf8');
}

/** Two unlinked files per command, open for reading and writing. */
async function outputFiles(count: number): Promise<[FileHandle, FileHandle][]> {
  const dir = await mkdtemp(join(tmpdir(), 'portcullis-exec-'));
  const handles: FileHandle[] = [];
  try {
    for (let i = 0; i < 2 * count; i++) handles.push(await open(join(dir, String(i)), 'w+', 0o600));
  } catch (err) {
    await Promise.all(handles.map((h) => h.close()));
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return Array.from({ length: count }, (_, i) => [handles[2 * i]!, handles[2 * i + 1]!]);
}

/**
 * Runs `commands` at once through one sh; one promise per command, in order. A promise
 * resolves null when sh could not run that command (no sh, no /proc, no temporary
 * directory, sh killed): the caller then runs it on its own.
 */
export async function runShellBatch(commands: readonly (readonly string[])[], options: ShellBatchOptions): Promise<Promise<ExecResult | null>[]> {
  let files: [FileHandle, FileHandle][];
  try {
    files = await outputFiles(commands.length);
  } catch {
    return commands.map(() => Promise.resolve(null));
  }
  const promises: Promise<ExecResult | null>[] = [];
  const pending: Pending[] = commands.map((argv, i) => {
    const p: Pending = { argv, files: files[i]!, pid: null, timedOut: false, done: false, timer: undefined, resolve: () => undefined };
    promises.push(new Promise((r) => (p.resolve = r)));
    return p;
  });
  const child = spawn('/bin/sh', ['-c', shellBatchScript(commands)], {
    stdio: ['ignore', 'pipe', 'pipe', ...files.flatMap(([out, err]) => [out.fd, err.fd])],
    env: options.env,
  });
  const stop = (p: Pending) => {
    if (p.pid === null) return;
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {
      // Already gone: its end is on its way.
    }
  };
  const settle = (p: Pending, result: ExecResult | null) => {
    p.done = true;
    clearTimeout(p.timer);
    p.resolve(result);
    void Promise.all(p.files.map((f) => f.close())).catch(() => undefined);
  };
  const finish = async (p: Pending, rc: string) => {
    const file = p.argv[0]!;
    if (p.timedOut) return settle(p, { ok: false, error: 'ETIMEDOUT', message: `${file} did not finish within ${options.timeoutMs / 1000} s (signal SIGTERM)` });
    if (rc === 'ENOENT') return settle(p, { ok: false, error: 'ENOENT', message: `spawn ${file} ENOENT` });
    try {
      const [stdout, stderr] = await Promise.all(p.files.map((f) => content(f, options.maxBuffer)));
      if (stdout === null || stderr === null) {
        return settle(p, { ok: false, error: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER', message: `${stdout === null ? 'stdout' : 'stderr'} maxBuffer length exceeded` });
      }
      settle(p, { ok: true, code: Number(rc), stdout, stderr });
    } catch {
      settle(p, null);
    }
  };
  for (const p of pending) {
    p.timer = setTimeout(() => {
      p.timedOut = true;
      stop(p);
    }, options.timeoutMs);
  }
  let status = '';
  let ending: Promise<void>[] = [];
  (child.stdout as Readable).setEncoding('utf8').on('data', (chunk: string) => {
    status += chunk;
    let nl: number;
    while ((nl = status.indexOf('\n')) >= 0) {
      const [kind, index, value] = status.slice(0, nl).split(' ');
      status = status.slice(nl + 1);
      const p = pending[Number(index)];
      if (!p || p.done || value === undefined) continue;
      if (kind === 'pid') {
        p.pid = Number(value);
        if (p.timedOut) stop(p);
      } else if (kind === 'end') {
        p.done = true;
        ending.push(finish(p, value));
      }
    }
  });
  (child.stderr as Readable).resume();
  // No sh, or no /proc/self/fd, or sh killed: what did not end comes back null.
  const giveUp = () => {
    void Promise.all(ending).then(() => {
      for (const p of pending) if (!p.done) settle(p, null);
    });
    ending = [];
  };
  child.on('error', giveUp);
  child.on('close', giveUp);
  return promises;
}

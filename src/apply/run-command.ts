/**
 * The one impure edge apply needs: run argv (never a shell) with optional standard input.
 * Tests and the guard pass {@link realRunCommand}; unit tests pass fakes (STYLE habit 7).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import type { ExecResult } from '../collect/host-io.js';

export type { ExecResult };

/** Runs argv; resolves with the exit code and output, or `ok: false` when it could not start. */
export type RunCommand = (argv: readonly string[], stdin?: string) => Promise<ExecResult>;

const TIMEOUT_MS = 60_000;

/** The real machine: spawn, feed stdin, collect output; killed after 60 s. */
export const realRunCommand: RunCommand = (argv, stdin) =>
  new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, error: err.code ?? 'EUNKNOWN', message: err.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === null) resolve({ ok: false, error: 'ETIMEDOUT', message: `${argv[0]} stopped by ${signal ?? 'a signal'}` });
      else resolve({ ok: true, code, stdout, stderr });
    });
    // A tool that exits before reading its input closes the pipe: its exit code tells.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin ?? '');
  });

/**
 * Running commands for kernel tests: argv only (no shell), inside a namespace or not.
 *
 * @module
 */
import { execFileSync, spawn } from 'node:child_process';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs argv synchronously; throws with the command, exit code and stderr when it fails. */
export function run(argv: string[], input?: string): string {
  try {
    return execFileSync(argv[0]!, argv.slice(1), {
      encoding: 'utf8',
      input: input ?? '',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { status?: number; stderr?: string; stdout?: string };
    throw new Error(`command failed (exit ${e.status ?? '?'}): ${argv.join(' ')}\n${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
}

/** `ip netns exec NS argv…`. */
export function runIn(ns: string, argv: string[], input?: string): string {
  return run(['ip', 'netns', 'exec', ns, ...argv], input);
}

/** Runs argv asynchronously and collects its output; never rejects (the caller reads `code`). */
export function runAsync(argv: string[], input = ''): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (err) => resolve({ stdout, stderr: stderr + String(err), code: -1 }));
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
    // A command that exits before reading its input breaks the pipe: its exit code tells.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/**
 * The live kernel journal: `journalctl -k -o json` run with an argv (no shell), its output
 * as a byte stream. `--follow` adds `-f`.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { LogReadError } from './log-input.js';

export interface JournalOptions {
  /** ms since the epoch. */
  since?: number;
  until?: number;
  follow?: boolean;
  /** The program to run (tests pass a fake). */
  command?: string;
}

export function journalArgs(opts: JournalOptions): string[] {
  const args = ['-k', '-o', 'json', '--no-pager'];
  if (opts.since !== undefined) args.push('--since', `@${Math.floor(opts.since / 1000)}`);
  if (opts.until !== undefined) args.push('--until', `@${Math.ceil(opts.until / 1000)}`);
  if (opts.follow) args.push('-f');
  return args;
}

export async function* readJournal(opts: JournalOptions = {}): AsyncGenerator<Buffer> {
  const command = opts.command ?? 'journalctl';
  const child = spawn(command, journalArgs(opts), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { if (stderr.length < 2000) stderr += d.toString(); });
  const exited = new Promise<number | string>((resolve) => {
    child.on('error', (err) => resolve((err as NodeJS.ErrnoException).code ?? err.message));
    child.on('close', (code) => resolve(code ?? 0));
  });
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const status = await exited;
    if (status === 'ENOENT') throw new LogReadError(command, 'not installed (the journal needs systemd\'s journalctl)');
    if (status !== 0) throw new LogReadError(command, `exit status ${status}${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}`);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

/**
 * One run of the system OpenSSH client: `ssh -o BatchMode=yes [-F CONFIG] [-p PORT] --
 * [USER@]HOST COMMAND` with the collector on its standard input. BatchMode makes ssh fail
 * instead of prompting (a password, a passphrase, an unknown host key); host key checking
 * stays as the admin configured it. On timeout the ssh process is killed.
 *
 * @module
 */
import { spawn } from 'node:child_process';

export interface SshInvocation {
  /** The ssh program (default "ssh"). */
  program: string;
  /** Arguments before the destination: options, -F, -p. */
  args: string[];
  destination: string;
  remoteCommand: string;
  input: string;
  timeoutMs: number;
}

export interface SshRun {
  /** Exit code, or null when killed. */
  code: number | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
  /** spawn itself failed (ssh not installed): the errno code. */
  spawnError: string | null;
}

const KILL_GRACE_MS = 2000;

export function runSsh(inv: SshInvocation): Promise<SshRun> {
  return new Promise((resolve) => {
    const child = spawn(inv.program, [...inv.args, '--', inv.destination, inv.remoteCommand], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    let spawnError: string | null = null;
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      // Keep the end: ssh's last lines say why it failed.
      stderr = (stderr + d).slice(-16_384);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref();
    }, inv.timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err.code ?? 'EUNKNOWN';
    });
    let done = false;
    const finish = (code: number | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(chunks), stderr, timedOut, spawnError });
    };
    child.on('close', finish);
    // Killed at the timeout: a child of ssh (a ProxyCommand) may still hold the pipes open, so do not wait for them.
    child.on('exit', (code) => {
      if (!timedOut) return;
      child.stdout.destroy();
      child.stderr.destroy();
      finish(code);
    });
    // ssh that fails before reading the script closes its input: its exit code tells why.
    child.stdin.on('error', () => {});
    child.stdin.end(inv.input);
  });
}

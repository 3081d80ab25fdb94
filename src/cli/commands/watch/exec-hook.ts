/**
 * `watch --exec CMD`: each event, as its JSON line, on the standard input of `/bin/sh -c CMD`.
 *
 * Why a shell: CMD is the administrator's own command line (in their unit file), and alerts
 * are pipelines (`curl … --data-binary @-`, `mail -s … root`). Nothing of the event is ever
 * put into the command line: it arrives on stdin and, as plain values, in PORTCULLIS_EVENT
 * and PORTCULLIS_HOST, so a hostile host name or finding title cannot become shell syntax.
 * Commands run one at a time, in event order, off the watch loop (a slow webhook does not
 * delay the next round), each for at most {@link EXEC_TIMEOUT_MS}; a failure is reported and
 * the watch goes on.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import type { WatchEvent } from '../../../analyze/watch/index.js';

export const EXEC_TIMEOUT_MS = 30_000;

export interface ExecHook {
  /** Queue the command for this event (its JSON line is `line`). */
  run(event: WatchEvent, line: string): void;
  /** Wait for the queued commands (on shutdown). */
  drain(): Promise<void>;
}

function runOnce(command: string, event: WatchEvent, line: string, report: (text: string) => void, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const what = `--exec for ${event.event} ${event.host}${'port' in event ? ` ${event.proto}/${event.port}` : ''}`;
    const child = spawn('/bin/sh', ['-c', command], {
      // The command's own output goes to our stderr: stdout carries the events.
      stdio: ['pipe', 2, 'pipe'],
      env: { ...process.env, PORTCULLIS_EVENT: event.event, PORTCULLIS_HOST: event.host },
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      process.stderr.write(d);
      if (stderr.length < 1000) stderr += d.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // A command that exits without reading its input is not an error of ours.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(line);
    child.on('error', (err) => {
      clearTimeout(timer);
      report(`${what} could not start /bin/sh: ${err.message}`);
      resolve();
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const why = signal === 'SIGKILL' ? `killed after ${timeoutMs / 1000} s` : signal ? `killed by ${signal}` : `exit status ${code}`;
        const said = stderr.trim().split('\n').pop();
        report(`${what} failed (${why})${said ? `: ${said.slice(0, 200)}` : ''}; watching goes on`);
      }
      resolve();
    });
  });
}

export function execHook(command: string, report: (text: string) => void, timeoutMs = EXEC_TIMEOUT_MS): ExecHook {
  let queue: Promise<void> = Promise.resolve();
  return {
    run(event, line) {
      queue = queue.then(() => runOnce(command, event, line, report, timeoutMs));
    },
    drain: () => queue,
  };
}

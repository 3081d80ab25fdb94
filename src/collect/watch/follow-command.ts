/**
 * A long-running command (argv, never a shell) read line by line: `nft monitor`, `ip monitor`.
 * Its end is reported once, with the reason in the tool's own words (its first stderr line,
 * "not installed", the signal), so the caller can say what it falls back to.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface FollowedCommand {
  /** Kill the child (SIGTERM); its end is then not reported. */
  stop(): void;
}

export interface FollowHandlers {
  line(text: string): void;
  /** The child is gone (or never started) on its own: why. */
  end(reason: string): void;
}

const STDERR_KEEP = 2000;

export function followCommand(argv: readonly string[], on: FollowHandlers): FollowedCommand {
  const [file, ...args] = argv;
  let stopped = false;
  let ended = false;
  const end = (reason: string): void => {
    if (ended || stopped) return;
    ended = true;
    on.end(reason);
  };
  const child = spawn(file!, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  // However this process ends (`| head` closing our stdout exits at once), the monitor goes with it.
  const killOnExit = (): void => void child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < STDERR_KEEP) stderr += d.toString('utf8');
  });
  createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (l) => {
    if (!stopped) on.line(l);
  });
  child.on('error', (err: NodeJS.ErrnoException) => end(err.code === 'ENOENT' ? `${file} not installed` : `${file} could not start: ${err.message}`));
  child.on('close', (code, signal) => {
    process.removeListener('exit', killOnExit);
    const said = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const why = said.length > 0 ? said.join('; ').slice(0, 300) : signal ? `killed by ${signal}` : `exit status ${code}`;
    end(`${argv.join(' ')} ended: ${why}`);
  });
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

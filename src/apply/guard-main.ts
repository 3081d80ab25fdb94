/**
 * The guard process: `node guard-main.js STATE_DIR SECONDS`, started detached (its own
 * session, no terminal, output to STATE_DIR/guard.log) by spawn-guard.ts. It is not part of
 * the library API; nothing imports it.
 *
 * @module
 */
import { runGuard } from './guard-loop.js';
import { realRunCommand } from './run-command.js';
import { statePaths } from './state-files.js';

const log = (line: string): void => {
  process.stdout.write(`${new Date().toISOString()} guard ${process.pid}: ${line}\n`);
};

const [dir, seconds] = process.argv.slice(2);
if (!dir || !seconds || !/^\d+$/.test(seconds)) {
  log('usage: guard-main.js STATE_DIR SECONDS');
  process.exit(2);
}
runGuard(statePaths(dir), Number(seconds), realRunCommand, log).then(
  () => process.exit(0),
  (err: unknown) => {
    log(`stopped: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);

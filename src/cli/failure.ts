/**
 * What a command's failure becomes: its message on stderr and an exit code. Shared by the
 * command table (main.ts) and collect's fast way in (plain-collect.ts), so both end alike.
 *
 * @module
 */
import { printableLines } from '../render/common/printable.js';
import { ExitCode, InputError } from './errors.js';

/** Reports `err` on stderr and returns the exit code: 2 for bad input, 3 for a bug. */
export function reportFailure(err: unknown): number {
  if (err instanceof InputError) {
    process.stderr.write(`portcullis: ${printableLines(err.message)}\n`);
    return ExitCode.input;
  }
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`portcullis: internal error (a bug: please report it with the command you ran; exit status ${ExitCode.bug})\n${printableLines(detail.slice(0, 4000))}\n`);
  return ExitCode.bug;
}

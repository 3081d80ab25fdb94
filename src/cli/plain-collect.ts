/**
 * The fast way into `portcullis collect`: its plainest command lines run the command without
 * loading the command table (commander and every command's options): ~13 ms less between
 * Node's start and the first kernel tool, on a command measured against those tools' own dump
 * time (issue 8).
 *
 * Only these forms are read here: `collect`, with `--out FILE` and `--tool-timeout SECONDS`,
 * each at most once, each value a separate argument not starting with "-". Every other command
 * line (any other option, `--out=FILE`, `--help`, a repeated option, a value that looks like an
 * option) returns null and goes through the command table as before, so nothing parsed here
 * can differ from what commander would give (plain-collect.test.ts asks both).
 *
 * @module
 */
import type { CollectOptions } from './commands/collect.js';
import { reportFailure } from './failure.js';

/** The options of a plain collect in `argv` (node, script, command, …), or null for any other command line. */
export function plainCollectOptions(argv: readonly string[]): CollectOptions | null {
  if (argv[2] !== 'collect') return null;
  const opts: CollectOptions = {};
  for (let i = 3; i < argv.length; i += 2) {
    const key = PLAIN_OPTIONS.get(argv[i]!);
    const value = argv[i + 1];
    if (key === undefined || key in opts || value === undefined || value.startsWith('-')) return null;
    opts[key] = value;
  }
  return opts;
}

/** Runs a plain collect (see {@link plainCollectOptions}) and returns its exit code, as the command table would. */
export async function runPlainCollect(opts: CollectOptions): Promise<number> {
  try {
    const { runCollect } = await import('./commands/collect.js');
    return await runCollect(opts);
  } catch (err) {
    return reportFailure(err);
  }
}

const PLAIN_OPTIONS: ReadonlyMap<string, 'out' | 'toolTimeout'> = new Map([
  ['--out', 'out'],
  ['--tool-timeout', 'toolTimeout'],
]);

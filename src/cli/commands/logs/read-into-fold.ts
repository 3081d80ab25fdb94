/**
 * The one loop every input goes through: bytes → line reader (parse) → fold (analyze).
 *
 * @module
 */
import type { LogFold } from '../../../analyze/log-summary/index.js';
import { LogLineReader } from '../../../parse/netfilter-log/index.js';

/** Read `chunks` (one input, in order) into `fold`; `onBytes` sees progress. */
export async function readIntoFold(
  chunks: AsyncIterable<Buffer>,
  file: string,
  fold: LogFold,
  now: Date,
  opts: { previousLine?: Buffer; onBytes?: (n: number) => void } = {},
): Promise<LogLineReader> {
  fold.file = file;
  const reader = new LogLineReader(fold, now);
  if (opts.previousLine && opts.previousLine.length > 0) reader.prime(opts.previousLine);
  for await (const chunk of chunks) {
    reader.push(chunk);
    opts.onBytes?.(chunk.length);
  }
  reader.end();
  return reader;
}

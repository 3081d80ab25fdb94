/**
 * Rotated files come in any order (`kern.log.2.gz kern.log kern.log.1`): read them by the
 * time of their first line, so the log is one stream in time order and a scan split across a
 * rotation point is one scan.
 *
 * @module
 */
import { LogLineReader, type LineSink, type NetfilterRecord } from '../../parse/netfilter-log/index.js';
import { type LogFileInfo, readLogHead, yearReference } from './log-input.js';

/** The time of the first stamped line in the head of the file (NaN when none). */
export async function firstStamp(file: LogFileInfo, now: Date): Promise<number> {
  let found = NaN;
  const probe: LineSink = {
    record: (rec: NetfilterRecord) => { if (Number.isNaN(found)) found = rec.time; },
    repeated: () => undefined,
    malformed: () => undefined,
    skipped: () => undefined,
  };
  const reader = new LogLineReader(probe, yearReference(file, now));
  reader.push(await readLogHead(file));
  const stamped = reader.firstTime;
  return Number.isNaN(found) ? stamped : Math.min(found, stamped);
}

export async function orderByFirstStamp(files: LogFileInfo[], now: Date): Promise<LogFileInfo[]> {
  const stamps = await Promise.all(files.map((f) => firstStamp(f, now)));
  return files
    .map((f, i) => ({ f, t: stamps[i]!, i }))
    .sort((a, b) => (Number.isNaN(a.t) ? Infinity : a.t) - (Number.isNaN(b.t) ? Infinity : b.t) || a.i - b.i)
    .map((x) => x.f);
}

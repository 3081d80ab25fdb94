/**
 * One `journalctl -o json` record: the kernel's message is MESSAGE (a string, or an array of
 * bytes when it is not valid UTF-8), its time __REALTIME_TIMESTAMP (microseconds, UTC).
 *
 * @module
 */
import type { LineContext } from './context.js';
import { kernelMessage } from './message.js';
import type { ParsedRecord } from './record.js';
import { LineKind } from './types.js';

interface JournalRecord {
  MESSAGE?: unknown;
  __REALTIME_TIMESTAMP?: unknown;
  _TRANSPORT?: unknown;
  SYSLOG_IDENTIFIER?: unknown;
}

function messageBytes(message: unknown): Buffer | null {
  if (typeof message === 'string') return Buffer.from(message, 'utf8');
  if (Array.isArray(message) && message.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return Buffer.from(message as number[]);
  return null;
}

/** A record not from the kernel (when the fields say so) is skipped, like any other line. */
function fromKernel(r: JournalRecord): boolean {
  if (r._TRANSPORT !== undefined) return r._TRANSPORT === 'kernel';
  if (r.SYSLOG_IDENTIFIER !== undefined) return r.SYSLOG_IDENTIFIER === 'kernel';
  return true;
}

export function parseJournalRecord(buf: Buffer, start: number, end: number, rec: ParsedRecord, ctx: LineContext): LineKind {
  let r: JournalRecord;
  try {
    r = JSON.parse(buf.toString('utf8', start, end)) as JournalRecord;
  } catch {
    return LineKind.skipped;
  }
  if (r === null || typeof r !== 'object') return LineKind.skipped;
  ctx.format = 'journal';
  if (!fromKernel(r)) return LineKind.skipped;
  const message = messageBytes(r.MESSAGE);
  if (!message) return LineKind.skipped;
  const micros = typeof r.__REALTIME_TIMESTAMP === 'string' && /^\d{1,20}$/.test(r.__REALTIME_TIMESTAMP) ? Number(r.__REALTIME_TIMESTAMP) : NaN;
  ctx.time = Math.floor(micros / 1000);
  return kernelMessage(message, 0, message.length, Math.floor(micros / 1000), rec, ctx);
}

/**
 * Per-reader state the line parser writes besides the record.
 *
 * @module
 */
import { LocalClock } from './stamps.js';
import type { LineFormat, MalformedReason } from './types.js';

export interface LineContext {
  clock: LocalClock;
  /** Set for malformed lines. */
  reason: MalformedReason | null;
  /** Set for repeat lines. */
  repeat: number;
  /** The repeat line carries its own message (rsyslog's `message repeated N times: [ … ]`), read into the record. */
  repeatInline: boolean;
  /** The framing of the last line that had one (null: not a log line at all). */
  format: LineFormat | null;
  /** The stamp of the last line that had one (ms, UTC). */
  time: number;
}

export function lineContext(reference: Date): LineContext {
  return { clock: new LocalClock(reference), reason: null, repeat: 0, repeatInline: false, format: null, time: NaN };
}


/**
 * A kernel message after its syslog framing: the optional `[uptime]`, then the netfilter
 * fields if `IN=… OUT=` is there.
 *
 * @module
 */
import type { LineContext } from './context.js';
import { findInField, parseNetfilterBody } from './fields.js';
import type { ParsedRecord } from './record.js';
import { LineKind } from './types.js';

/** Skip the kernel's `[ 1234.567890]` uptime if it is there. */
function skipUptime(buf: Uint8Array, p: number, end: number): number {
  if (buf[p] !== 91) return p;
  let q = p + 1;
  let digits = 0;
  while (q < end && (buf[q] === 32 || buf[q] === 46 || (buf[q]! >= 48 && buf[q]! <= 57))) {
    if (buf[q] !== 32 && buf[q] !== 46) digits++;
    q++;
  }
  if (q >= end || buf[q] !== 93 || digits === 0) return p;
  q++;
  while (q < end && buf[q] === 32) q++;
  return q;
}

const REPEATED = Buffer.from('message repeated ');

/**
 * rsyslog's repeated-message reduction (on in Ubuntu's rsyslog.conf) writes `message repeated
 * N times: [ MESSAGE]` as the kernel's line: N more of the message in brackets. Returns N and
 * the offset of the message, or -1.
 */
function rsyslogRepeat(buf: Uint8Array, p: number, end: number): { count: number; at: number } | null {
  if (end - p < REPEATED.length + 10) return null;
  for (let i = 0; i < REPEATED.length; i++) if (buf[p + i] !== REPEATED[i]) return null;
  let q = p + REPEATED.length;
  let n = 0;
  const start = q;
  while (q < end && buf[q]! >= 48 && buf[q]! <= 57) n = n * 10 + buf[q++]! - 48;
  if (q === start || q - start > 9) return null;
  const tail = ' times: [';
  for (let i = 0; i < tail.length; i++) if (buf[q + i] !== tail.charCodeAt(i)) return null;
  return { count: n, at: q + tail.length };
}

/** The kernel message at p (after the tag): uptime skipped, then: netfilter, malformed or skipped. */
export function kernelMessage(buf: Buffer, p: number, end: number, time: number, rec: ParsedRecord, ctx: LineContext): LineKind {
  const repeat = rsyslogRepeat(buf, p, end);
  if (repeat) {
    // The bracketed message, without the closing bracket, stands for `count` more packets.
    let stop = end;
    while (stop > repeat.at && buf[stop - 1] === 32) stop--;
    if (buf[stop - 1] === 93) stop--;
    const kind = kernelMessage(buf, repeat.at, stop, time, rec, ctx);
    if (kind !== LineKind.netfilter || !rec.drop) return LineKind.skipped;
    ctx.repeat = repeat.count;
    ctx.repeatInline = true;
    return LineKind.repeat;
  }
  p = skipUptime(buf, p, end);
  const inAt = findInField(buf, p, end);
  if (inAt < 0) return LineKind.skipped;
  rec.time = time;
  let reason = parseNetfilterBody(buf, p, inAt, end, rec);
  if (!reason && rec.drop && Number.isNaN(time)) reason = 'no-time';
  if (reason) {
    ctx.reason = reason;
    return LineKind.malformed;
  }
  return LineKind.netfilter;
}


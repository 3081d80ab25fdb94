/**
 * A kernel message after its syslog framing: the optional `[uptime]`, then the netfilter
 * fields if `IN=… OUT=` is there.
 *
 * @module
 */
import type { LineContext } from './context.js';
import { findInField, parseNetfilterBody } from './fields.js';
import { LineKind, type NetfilterRecord } from './types.js';

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

/** The kernel message at p (after the tag): uptime skipped, then: netfilter, malformed or skipped. */
export function kernelMessage(buf: Buffer, p: number, end: number, time: number, rec: NetfilterRecord, ctx: LineContext): LineKind {
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


/**
 * One syslog or journal line → what it is. Framings: BSD (`Dec  1 10:00:00 host kernel:
 * [ 12.345] …`, with or without the uptime), RFC 3339 stamps (rsyslog's high-precision
 * format), RFC 5424 (`<4>1 2026-12-01T10:00:00Z host kernel - - - …`), an optional `<PRI>`
 * before the first two, and `journalctl -o json` records. Works on bytes: no string per line
 * unless the line is a netfilter line.
 *
 * @module
 */
import type { LineContext } from './context.js';
import { parseJournalRecord } from './journal.js';
import { kernelMessage } from './message.js';
import { parseBsdStamp, parseIsoStamp, type StampOut } from './stamps.js';
import type { ParsedRecord } from './record.js';
import { LineKind } from './types.js';

const stamp: StampOut = { time: 0 };

function skipSpaces(buf: Uint8Array, p: number, end: number): number {
  while (p < end && buf[p] === 32) p++;
  return p;
}

function tokenEnd(buf: Uint8Array, p: number, end: number): number {
  while (p < end && buf[p] !== 32) p++;
  return p;
}

/** "kernel:" exactly. */
function isKernelTag(buf: Uint8Array, p: number, q: number): boolean {
  return q - p === 7 && buf[p] === 107 && buf[p + 1] === 101 && buf[p + 2] === 114 && buf[p + 3] === 110 && buf[p + 4] === 101 && buf[p + 5] === 108 && buf[p + 6] === 58;
}

const REPEATED = Buffer.from('last message repeated ');

/** `last message repeated N times` (sysklogd; FreeBSD wraps it in `--- … ---`) at p; N or -1. */
function repeatCount(buf: Uint8Array, p: number, end: number): number {
  if (buf[p] === 45 && buf[p + 1] === 45 && buf[p + 2] === 45 && buf[p + 3] === 32) p += 4;
  if (end - p < REPEATED.length + 7) return -1;
  for (let i = 0; i < REPEATED.length; i++) if (buf[p + i] !== REPEATED[i]) return -1;
  p += REPEATED.length;
  let n = 0;
  const start = p;
  while (p < end && buf[p]! >= 48 && buf[p]! <= 57) n = n * 10 + buf[p++]! - 48;
  if (p === start || p - start > 9) return -1;
  if (end - p < 6 || buf[p] !== 32 || buf[p + 1] !== 116 || buf[p + 2] !== 105 || buf[p + 3] !== 109 || buf[p + 4] !== 101 || buf[p + 5] !== 115) return -1;
  return n;
}

/** After the stamp of a BSD or RFC 3339 line: `[host] [facility.level] kernel: …` or a repeat. */
function afterStamp(buf: Buffer, p: number, end: number, rec: ParsedRecord, ctx: LineContext): LineKind {
  p = skipSpaces(buf, p, end);
  for (let token = 0; token < 3 && p < end; token++) {
    const q = tokenEnd(buf, p, end);
    if (isKernelTag(buf, p, q)) return kernelMessage(buf, skipSpaces(buf, q, end), end, stamp.time, rec, ctx);
    const next = skipSpaces(buf, q, end);
    if (token === 0) {
      const n = repeatCount(buf, next, end);
      if (n >= 0) {
        ctx.repeat = n;
        return LineKind.repeat;
      }
    }
    p = next;
  }
  return LineKind.skipped;
}

/** RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]`, p after the version. */
function rfc5424(buf: Buffer, p: number, end: number, facility: number, rec: ParsedRecord, ctx: LineContext): LineKind {
  p = skipSpaces(buf, p, end);
  let q: number;
  if (buf[p] === 45) {
    q = p + 1;
    stamp.time = NaN;
  } else {
    q = parseIsoStamp(buf, p, end, ctx.clock, stamp);
    if (q < 0) return LineKind.skipped;
  }
  ctx.format = 'rfc5424';
  ctx.time = stamp.time;
  p = skipSpaces(buf, q, end);
  p = skipSpaces(buf, tokenEnd(buf, p, end), end); // HOSTNAME
  const appStart = p;
  const appEnd = tokenEnd(buf, p, end);
  const isKernel = facility === 0 || (appEnd - appStart === 6 && buf.toString('latin1', appStart, appEnd) === 'kernel');
  p = skipSpaces(buf, appEnd, end);
  p = skipSpaces(buf, tokenEnd(buf, p, end), end); // PROCID
  p = skipSpaces(buf, tokenEnd(buf, p, end), end); // MSGID
  if (buf[p] === 45) p++;
  else {
    while (p < end && buf[p] === 91) {
      p++;
      while (p < end && buf[p] !== 93) p += buf[p] === 92 ? 2 : 1;
      p++;
    }
  }
  p = skipSpaces(buf, p, end);
  if (buf[p] === 0xef && buf[p + 1] === 0xbb && buf[p + 2] === 0xbf) p += 3; // BOM
  const n = repeatCount(buf, p, end);
  if (n >= 0) {
    ctx.repeat = n;
    return LineKind.repeat;
  }
  if (!isKernel) return LineKind.skipped;
  return kernelMessage(buf, p, end, stamp.time, rec, ctx);
}

/**
 * Read the line [start, end) of `buf` into `rec` (reused; copy what you keep). For
 * `malformed` the reason is in ctx.reason; for `repeat` the count is in ctx.repeat.
 */
export function parseLine(buf: Buffer, start: number, end: number, rec: ParsedRecord, ctx: LineContext): LineKind {
  if (end > start && buf[end - 1] === 13) end--;
  let p = start;
  const first = buf[p];
  if (first === 123) return parseJournalRecord(buf, start, end, rec, ctx);
  let facility = -1;
  if (first === 60) {
    let pri = 0;
    p++;
    while (p < end && buf[p]! >= 48 && buf[p]! <= 57 && p - start < 4) pri = pri * 10 + buf[p++]! - 48;
    if (buf[p] !== 62) return LineKind.skipped;
    facility = pri >> 3;
    p++;
    if (buf[p]! >= 49 && buf[p]! <= 57 && buf[p + 1] === 32) return rfc5424(buf, p + 2, end, facility, rec, ctx);
  }
  const c = buf[p];
  if (c !== undefined && c >= 48 && c <= 57) {
    const q = parseIsoStamp(buf, p, end, ctx.clock, stamp);
    if (q < 0) return LineKind.skipped;
    ctx.format = 'rfc3339';
    ctx.time = stamp.time;
    return afterStamp(buf, q, end, rec, ctx);
  }
  const q = parseBsdStamp(buf, p, end, ctx.clock, stamp);
  if (q < 0) return LineKind.skipped;
  ctx.format = 'bsd';
  ctx.time = stamp.time;
  return afterStamp(buf, q, end, rec, ctx);
}

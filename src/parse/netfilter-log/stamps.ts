/**
 * Syslog time stamps read straight from bytes: BSD (`Dec  1 10:00:00`, local time, no year)
 * and RFC 3339 (`2026-12-01T10:00:00.123456+01:00`). Parsers return the end offset, or -1.
 *
 * @module
 */

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** Turns local wall-clock times into UTC, caching per local hour (DST moves whole hours). */
export class LocalClock {
  private readonly hourCache = new Map<number, number>();
  /** The local year, month (0-11) and day of the day after the reference, for the year of BSD stamps. */
  private readonly year: number;
  private readonly tomorrow: number;

  constructor(reference: Date) {
    const next = new Date(reference.getFullYear(), reference.getMonth(), reference.getDate() + 1);
    this.year = next.getFullYear();
    this.tomorrow = next.getMonth() * 32 + next.getDate();
  }

  /**
   * A BSD stamp has no year: the latest year that does not put its date after the day following
   * the reference (the file's mtime, or now for a stream). So a log written up to 2 January holds
   * 31 December of the year before, and a line stamped by a clock a little ahead of the reader's,
   * even across midnight or New Year (`Jan  1 00:01` read at 31 December 23:59), keeps its year
   * instead of going back one. Dates, not times, are compared: up to a day ahead is a clock's skew.
   */
  yearOf(month: number, day: number): number {
    return month * 32 + day > this.tomorrow ? this.year - 1 : this.year;
  }

  toUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
    const key = ((year * 12 + month) * 32 + day) * 24 + hour;
    let base = this.hourCache.get(key);
    if (base === undefined) {
      base = new Date(year, month, day, hour).getTime();
      if (this.hourCache.size > 4096) this.hourCache.clear();
      this.hourCache.set(key, base);
    }
    return base + minute * 60_000 + second * 1000 + ms;
  }
}

function digit(b: number): number {
  return b >= 48 && b <= 57 ? b - 48 : -1;
}

function two(buf: Uint8Array, p: number): number {
  const a = digit(buf[p]!);
  const b = digit(buf[p + 1]!);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** Output of the stamp parsers. */
export interface StampOut {
  time: number;
}

/** Month index by its three letters packed as bytes (no string per line). */
const MONTH_CODES = new Map<number, number>(Array.from({ length: 12 }, (_, m) => [(MONTHS.charCodeAt(m * 3) << 16) | (MONTHS.charCodeAt(m * 3 + 1) << 8) | MONTHS.charCodeAt(m * 3 + 2), m]));

/**
 * The last BSD stamp read, as bytes, and its time: lines of one second share their stamp,
 * so most lines cost a 15-byte compare. Per clock, since the year depends on the reference.
 */
const lastBsd = new Uint8Array(15);
let lastBsdClock: LocalClock | null = null;
let lastBsdTime = 0;

/** `Mmm dd hh:mm:ss` (day space-padded) at p; returns the offset after it or -1. */
export function parseBsdStamp(buf: Uint8Array, p: number, end: number, clock: LocalClock, out: StampOut): number {
  if (end - p < 15) return -1;
  if (clock === lastBsdClock) {
    let i = 0;
    while (i < 15 && buf[p + i] === lastBsd[i]) i++;
    if (i === 15) {
      out.time = lastBsdTime;
      return p + 15;
    }
  }
  if (buf[p + 3] !== 32 || buf[p + 6] !== 32 || buf[p + 9] !== 58 || buf[p + 12] !== 58) return -1;
  const month = MONTH_CODES.get((buf[p]! << 16) | (buf[p + 1]! << 8) | buf[p + 2]!);
  if (month === undefined) return -1;
  const d1 = buf[p + 4] === 32 ? 0 : digit(buf[p + 4]!);
  const d2 = digit(buf[p + 5]!);
  const hour = two(buf, p + 7);
  const minute = two(buf, p + 10);
  const second = two(buf, p + 13);
  if (d1 < 0 || d2 < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return -1;
  const day = d1 * 10 + d2;
  if (day < 1 || day > 31) return -1;
  out.time = clock.toUtc(clock.yearOf(month, day), month, day, hour, minute, second, 0);
  for (let i = 0; i < 15; i++) lastBsd[i] = buf[p + i]!;
  lastBsdClock = clock;
  lastBsdTime = out.time;
  return p + 15;
}

let utcDayKey = -1;
let utcDayBase = 0;

/** `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)` at p (no offset: local time); returns the end or -1. */
export function parseIsoStamp(buf: Uint8Array, p: number, end: number, clock: LocalClock, out: StampOut): number {
  if (end - p < 19 || buf[p + 4] !== 45 || buf[p + 7] !== 45 || (buf[p + 10] !== 84 && buf[p + 10] !== 32) || buf[p + 13] !== 58 || buf[p + 16] !== 58) return -1;
  const year = two(buf, p) * 100 + two(buf, p + 2);
  const month = two(buf, p + 5) - 1;
  const day = two(buf, p + 8);
  const hour = two(buf, p + 11);
  const minute = two(buf, p + 14);
  const second = two(buf, p + 17);
  if (year < 0 || month < 0 || month > 11 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return -1;
  let q = p + 19;
  let ms = 0;
  if (q < end && buf[q] === 46) {
    q++;
    let scale = 100;
    const start = q;
    while (q < end && digit(buf[q]!) >= 0) {
      if (scale >= 1) ms += digit(buf[q]!) * scale;
      scale /= 10;
      q++;
    }
    if (q === start) return -1;
    ms = Math.floor(ms);
  }
  if (q < end && (buf[q] === 90 || buf[q] === 122)) {
    out.time = utcDay(year, month, day) + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
    return q + 1;
  }
  if (q < end && (buf[q] === 43 || buf[q] === 45)) {
    const sign = buf[q] === 43 ? 1 : -1;
    const oh = two(buf, q + 1);
    const colon = buf[q + 3] === 58 ? 1 : 0;
    const om = two(buf, q + 3 + colon);
    if (oh < 0 || om < 0 || q + 5 + colon > end) return -1;
    out.time = utcDay(year, month, day) + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - sign * (oh * 60 + om) * 60_000;
    return q + 5 + colon;
  }
  out.time = clock.toUtc(year, month, day, hour, minute, second, ms);
  return q;
}

function utcDay(year: number, month: number, day: number): number {
  const key = (year * 12 + month) * 32 + day;
  if (key !== utcDayKey) {
    utcDayKey = key;
    utcDayBase = Date.UTC(year, month, day);
  }
  return utcDayBase;
}

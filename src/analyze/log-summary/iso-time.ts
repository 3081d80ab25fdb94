/**
 * `new Date(ms).toISOString()` for the many times a report prints (two per source), without a
 * Date per call: the date's characters are cached per day and the time of day is computed.
 * The string is made in one piece (String.fromCharCode): one put together with `+` or a
 * template is a tree of short strings, which cost the collector and JSON.stringify more than
 * the Date saved. Equal to toISOString for every time it handles; outside years 1970-9999 and
 * for fractions of a millisecond it asks Date.
 *
 * @module
 */

const DAY = 86_400_000;
/** 10000-01-01T00:00:00.000Z: toISOString writes six-digit years from here on. */
const YEAR_10000 = 253_402_300_800_000;
const ZERO = 48;

export class IsoTimes {
  /** Day number → the character codes of "YYYY-MM-DDT". */
  private readonly days = new Map<number, number[]>();

  /** `ms` as toISOString writes it, e.g. "2026-12-01T10:00:00.000Z". */
  format(ms: number): string {
    if (!(ms >= 0 && ms < YEAR_10000) || !Number.isInteger(ms)) return new Date(ms).toISOString();
    const day = Math.floor(ms / DAY);
    let d = this.days.get(day);
    if (d === undefined) {
      const date = new Date(day * DAY).toISOString();
      d = Array.from({ length: 11 }, (_, i) => date.charCodeAt(i));
      this.days.set(day, d);
    }
    let rest = ms - day * DAY;
    const milli = rest % 1000;
    rest = (rest - milli) / 1000;
    const s = rest % 60;
    rest = (rest - s) / 60;
    const m = rest % 60;
    const h = (rest - m) / 60;
    return String.fromCharCode(
      d[0]!, d[1]!, d[2]!, d[3]!, d[4]!, d[5]!, d[6]!, d[7]!, d[8]!, d[9]!, d[10]!,
      ZERO + Math.floor(h / 10), ZERO + (h % 10), 58,
      ZERO + Math.floor(m / 10), ZERO + (m % 10), 58,
      ZERO + Math.floor(s / 10), ZERO + (s % 10), 46,
      ZERO + Math.floor(milli / 100), ZERO + (Math.floor(milli / 10) % 10), ZERO + (milli % 10), 90,
    );
  }
}

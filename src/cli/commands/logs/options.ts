/**
 * The `logs` options, checked before anything is read: times for --since/--until, positive
 * numbers for the scanner threshold and window.
 *
 * @module
 */
import { InputError } from '../../errors.js';

export interface LogsOptions {
  journal?: boolean;
  since?: string;
  until?: string;
  snapshot?: string;
  scanPorts?: string;
  scanWindow?: string;
  format?: 'text' | 'json' | 'html';
  out?: string;
  follow?: boolean;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * A point in time: ISO 8601 (`2026-12-01`, `2026-12-01T10:00`, with or without an offset;
 * without one it is local time), a span ago (`90m`, `24h`, `7d`), `today`, `yesterday`, `now`.
 */
export function parseTime(text: string, flag: string, now: Date): number {
  const t = text.trim();
  const span = /^(\d+)\s*([smhdw])$/.exec(t);
  if (span) return now.getTime() - Number(span[1]) * UNIT_MS[span[2]!]!;
  if (t === 'now') return now.getTime();
  if (t === 'today' || t === 'yesterday') {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate());
    if (t === 'yesterday') d.setDate(d.getDate() - 1);
    return d.getTime();
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (date) return new Date(Number(date[1]), Number(date[2]) - 1, Number(date[3])).getTime();
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) {
    const ms = Date.parse(t.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return ms;
  }
  throw new InputError(`${flag} ${JSON.stringify(text)}: not a time; expected ISO 8601 (2026-12-01, 2026-12-01T10:00:00+01:00), a span ago (24h, 7d, 90m), today or yesterday`);
}

export function parsePositive(text: string | undefined, flag: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || Number(text) <= 0 || Number(text) > max) {
    throw new InputError(`${flag} ${JSON.stringify(text)}: expected a number above 0 and at most ${max}, e.g. ${flag} ${fallback}`);
  }
  return Number(text);
}

/**
 * The drop-log summary as JSON (schemas/logs.schema.json), stable key order; and one JSON
 * line per --follow event.
 *
 * @module
 */
import type { LogSummary } from '../../analyze/log-summary/types.js';
import { escapeUnsafeJson, stableStringify } from '../json/stable-json.js';

/**
 * The value with every object's keys in sorted order, as stableStringify's sortKeys makes it,
 * but an object whose keys are sorted already (the summary builds them so) is kept, not
 * copied: a report of 50,000 sources spent more time copying objects key by key than
 * JSON.stringify took to write them.
 */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const sorted = item !== null && typeof item === 'object' ? sortedKeys(item) : item;
      if (sorted !== item) out ??= value.slice(0, i);
      out?.push(sorted);
    }
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  // Only plain objects pass as they are: a copy would drop another kind's toJSON.
  let keep = Object.getPrototypeOf(value) === Object.prototype;
  for (let i = 1; i < keys.length && keep; i++) keep = keys[i - 1]! < keys[i]!;
  const record = value as Record<string, unknown>;
  if (keep) {
    // Copied only from the first key whose value changed (keys in order: the copy keeps it).
    let out: Record<string, unknown> | null = null;
    for (let i = 0; i < keys.length; i++) {
      const v = record[keys[i]!];
      const sorted = v !== null && typeof v === 'object' ? sortedKeys(v) : v;
      if (sorted !== v && out === null) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]!] = record[keys[j]!];
      }
      if (out !== null) out[keys[i]!] = sorted;
    }
    return out ?? value;
  }
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) out[key] = sortedKeys(record[key]);
  return out;
}

/**
 * The report and its final newline as two pieces to write one after the other: `json + '\n'`
 * is a rope that the write flattens into a second copy of the whole report (19.5 MB of fresh
 * pages for the 1 GiB benchmark log) before encoding it (issue 12).
 */
export function renderLogsJsonPieces(summary: LogSummary): [string, string] {
  return [escapeUnsafeJson(JSON.stringify(sortedKeys(summary), null, 2)), '\n'];
}

/** Same bytes as stableStringify(summary) + newline (the test holds it to that). */
export function renderLogsJson(summary: LogSummary): string {
  return renderLogsJsonPieces(summary).join('');
}

export function renderFollowEventJson(event: object): string {
  return stableStringify(event, 0) + '\n';
}

/**
 * Strings in a snapshot longer than anything a host really prints (a 200 MB hostname, a
 * 5 MB process name) are cut once, at load, so no report multiplies them into hundreds of
 * megabytes. Firewall dumps are left whole: their size is real and their parsers stream.
 *
 * @module
 */
import type { Diagnostic } from '../model/diagnostics.js';

/** Longest string a snapshot field keeps (documented in the README, "Hostile input"). */
export const MAX_FIELD_LENGTH = 65_536;

/** Keys whose strings are firewall dumps or tool output, kept whole. */
const WHOLE = new Set(['content', 'stderr']);

/**
 * Cut every string longer than {@link MAX_FIELD_LENGTH} in parsed JSON (in place, without
 * recursion), with one warning per cut field naming its JSON path.
 */
export function cutLongStrings(data: unknown, file: string, max = MAX_FIELD_LENGTH): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stack: { value: unknown; path: string }[] = [{ value: data, path: '$' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key, v] of entries) {
      const at = typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;
      if (typeof v === 'string') {
        if (v.length <= max || WHOLE.has(String(key))) continue;
        (value as Record<string | number, unknown>)[key] = `${v.slice(0, max)}…[cut: ${v.length - max} more characters]`;
        out.push({ code: 'parse.snapshot.long-string', severity: 'warning', message: `a string of ${v.length} characters was cut to ${max}`, location: { file, path: at } });
      } else if (v !== null && typeof v === 'object') stack.push({ value: v, path: at });
    }
  }
  return out;
}

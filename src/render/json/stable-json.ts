/**
 * JSON with a stable shape: object keys sorted at every level, arrays kept in order (their
 * order means something), undefined dropped. Two runs over the same facts give the same
 * bytes, whatever order the producer built its objects in, so reports diff cleanly.
 *
 * @module
 */

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Serialise with sorted keys; `indent` 0 gives one line (for JSON lines). */
export function stableStringify(value: unknown, indent = 2): string {
  return JSON.stringify(sortKeys(value), null, indent === 0 ? undefined : indent);
}

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
  return escapeUnsafeJson(JSON.stringify(sortKeys(value), null, indent === 0 ? undefined : indent));
}

// What JSON.stringify leaves raw but a terminal or viewer acts on: DEL, C1 controls, bidi
// marks, embeddings, overrides and isolates, line and paragraph separators.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Escape, inside JSON text, the characters JSON.stringify leaves raw (`\u202e`, `\u009b`):
 * the value read back is the same, and nobody's terminal is rewritten by `cat report.json`
 * (issue 9). Safe on whole documents: these characters only occur inside strings.
 */
export function escapeUnsafeJson(json: string): string {
  // Scanning char codes first is several times cheaper than a no-op replace over a 6 MB report.
  if (!hasUnsafe(json)) return json;
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Whether `s` holds a character of {@link UNSAFE_IN_JSON}. */
function hasUnsafe(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x7f) continue;
    if (c <= 0x9f || c === 0x61c || c === 0x200e || c === 0x200f || c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
  }
  return false;
}

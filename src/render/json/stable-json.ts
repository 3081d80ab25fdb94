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

/** The same set, to search for: without /g, test() keeps no lastIndex from one call to the next. */
const HAS_UNSAFE = new RegExp(UNSAFE_IN_JSON.source);

/**
 * Escape, inside JSON text, the characters JSON.stringify leaves raw (`\u202e`, `\u009b`):
 * the value read back is the same, and nobody's terminal is rewritten by `cat report.json`
 * (issue 9). Safe on whole documents: these characters only occur inside strings.
 */
export function escapeUnsafeJson(json: string): string {
  // A no-op replace over a large report costs far more than a search first. The search is the
  // regex engine's, not a charCodeAt loop: a report is rendered once, so the loop ran cold
  // (35 ms on a 19 MB logs report, the regex 8 ms; issue 12).
  if (!HAS_UNSAFE.test(json)) return json;
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

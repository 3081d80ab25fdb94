/**
 * An exposure diff as stable JSON (schemas/diff.schema.json).
 *
 * @module
 */
import type { ExposureDiff } from '../../analyze/audit/diff.js';
import { stableStringify } from '../json/stable-json.js';

/** The diff as 2-space JSON with sorted keys, ending in a newline. */
export function renderDiffJson(diff: ExposureDiff): string {
  return stableStringify(diff, 2) + '\n';
}

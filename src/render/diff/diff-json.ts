/**
 * An audit diff as stable JSON (schemas/diff.schema.json).
 *
 * @module
 */
import { stableStringify } from '../json/stable-json.js';
import type { AuditDiff } from './types.js';

export function renderDiffJson(diff: AuditDiff): string {
  return stableStringify(diff, 2) + '\n';
}

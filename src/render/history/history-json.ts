/**
 * A host's exposure history as stable JSON (schemas/history.schema.json).
 *
 * @module
 */
import type { ExposureHistory } from '../../analyze/audit/history.js';
import { stableStringify } from '../json/stable-json.js';

export function renderHistoryJson(history: ExposureHistory): string {
  return stableStringify(history, 2) + '\n';
}

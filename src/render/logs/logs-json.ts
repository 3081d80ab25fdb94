/**
 * The drop-log summary as JSON (schemas/logs.schema.json), stable key order; and one JSON
 * line per --follow event.
 *
 * @module
 */
import type { LogSummary } from '../../analyze/log-summary/types.js';
import { stableStringify } from '../json/stable-json.js';

export function renderLogsJson(summary: LogSummary): string {
  return stableStringify(summary) + '\n';
}

export function renderFollowEventJson(event: object): string {
  return stableStringify(event, 0) + '\n';
}

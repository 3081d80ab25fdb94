/**
 * JSON output of `audit` and `explain`: the result types as they are, with stable key order.
 * Shapes: schemas/audit.schema.json, schemas/explain.schema.json.
 *
 * @module
 */
import type { AuditReport } from '../../analyze/audit/types.js';
import type { FlowAnswer } from '../../analyze/types.js';
import { stableStringify } from './stable-json.js';
import { stableJsonChunks, stableJsonEach } from './stable-json-chunks.js';

/**
 * The audit report as 2-space JSON with sorted keys, ending in a newline, in pieces of about
 * 64 KB to write one after another: an 8 MB report is then never one string, copied and
 * encoded whole (issue 8).
 */
export function renderAuditJsonChunks(report: AuditReport): string[] {
  return stableJsonChunks(report, 2, '\n');
}

/** The same pieces, each handed to `emit` as it is made, so a writer never holds them all. */
export function renderAuditJsonEach(report: AuditReport, emit: (piece: string) => void): void {
  stableJsonEach(report, emit, 2, '\n');
}

/** The same text as one string (the pieces joined: one writer for the audit's JSON). */
export function renderAuditJson(report: AuditReport): string {
  return renderAuditJsonChunks(report).join('');
}

/**
 * One flow answer: 2-space JSON for `explain --json`, or one line (`line: true`) for each
 * answer of `explain --flows` (JSON lines). Both end in a newline.
 */
export function renderExplainJson(answer: FlowAnswer, opts: { line?: boolean } = {}): string {
  return stableStringify(answer, opts.line ? 0 : 2) + '\n';
}

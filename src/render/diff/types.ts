/**
 * Minimal local shape of an audit diff, until src/analyze/audit/diff.ts (another helper's)
 * lands: render against this, then switch the import. schemas/diff.schema.json describes it.
 *
 * @module
 */
import type { Exposure, Finding } from '../../analyze/audit/types.js';
import type { SourceLists } from '../../analyze/types.js';

export interface ServiceChange {
  host: string;
  proto: 'tcp' | 'udp';
  port: number;
  change: 'added' | 'removed' | 'changed';
  /** Exposure before; null when the service is new. */
  before: Exposure | null;
  /** Exposure after; null when the service is gone. */
  after: Exposure | null;
  sourcesBefore?: SourceLists;
  sourcesAfter?: SourceLists;
}

export interface AuditDiff {
  format: 'portcullis-diff';
  version: 1;
  before: { generatedAt: string };
  after: { generatedAt: string };
  services: ServiceChange[];
  findings: { added: Finding[]; resolved: Finding[] };
}

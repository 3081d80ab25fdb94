/**
 * One round of `watch`, judged: the snapshots a round collected, analysed and audited into
 * one report, as `audit` would (same pipeline, same checks, same policy).
 *
 * @module
 */
import { buildAuditReport } from '../analyze/audit/index.js';
import type { AuditReport } from '../analyze/audit/types.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/policy.js';
import type { Snapshot } from '../model/snapshot.js';
import { analyzeHost, loadHost } from '../pipeline.js';

/** A host's snapshot from this round, with the name messages use ("this host", an inventory name). */
export interface CollectedHost {
  label: string;
  snapshot: Snapshot;
}

export type RoundAudit = { ok: true; report: AuditReport } | { ok: false; label: string; diagnostics: Diagnostic[] };

export function auditRound(hosts: readonly CollectedHost[], policy: Policy | null, now: Date, toolVersion: string): RoundAudit {
  const analyses = [];
  for (const h of hosts) {
    const loaded = loadHost(h.snapshot, h.label);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) return { ok: false, label: h.label, diagnostics: errors };
    analyses.push(analyzeHost(loaded));
  }
  return { ok: true, report: buildAuditReport(analyses, policy, now, { toolVersion }) };
}

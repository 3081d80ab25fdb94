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
import type { HostAnalysis } from '../analyze/types.js';
import { analyzeHost, loadHost } from '../pipeline.js';

/** A host's snapshot from this round, with the name messages use ("this host", an inventory name). */
export interface CollectedHost {
  label: string;
  snapshot: Snapshot;
}

/** A host of a fleet round that gave no snapshot this time, and why (its last good round stands in). */
export interface MissedHost {
  label: string;
  error: string;
}

export type RoundHost = CollectedHost | MissedHost;

export type HostVerdict = { ok: true; analysis: HostAnalysis } | { ok: false; diagnostics: Diagnostic[] };

/** One host's analysis, or the errors that stop it (a damaged dump). */
export function analyzeRoundHost(h: CollectedHost): HostVerdict {
  const loaded = loadHost(h.snapshot, h.label);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  return errors.length > 0 ? { ok: false, diagnostics: errors } : { ok: true, analysis: analyzeHost(loaded) };
}

export function auditAnalyses(analyses: HostAnalysis[], policy: Policy | null, now: Date, toolVersion: string): AuditReport {
  return buildAuditReport(analyses, policy, now, { toolVersion });
}

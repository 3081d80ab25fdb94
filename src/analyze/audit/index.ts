/**
 * The judgement half of `portcullis audit`: host analyses and a policy in, an
 * {@link AuditReport} out. Pure: the date comes in as an argument.
 *
 * @module
 */
import type { Diagnostic } from '../../model/diagnostics.js';
import type { Policy } from '../../model/policy.js';
import { CHECKS, checkById } from '../checks/index.js';
import type { HostAnalysis } from '../types.js';
import { mergeById } from './merge.js';
import { capEvidenceSources } from './cap-evidence.js';
import { atOrAbove } from './diff.js';
import { auditHost } from './audit-host.js';
import { PolicyView, isExpired } from './policy-view.js';
import { type AuditReport, type Finding, SEVERITIES, type Severity } from './types.js';

export { auditHost } from './audit-host.js';
export { mergeById } from './merge.js';
export { capEvidenceSources, MAX_EVIDENCE_PREFIXES } from './cap-evidence.js';
export { atOrAbove, diffReports, type DiffOptions as ExposureDiffOptions, type ExposureDiff } from './diff.js';
export * from './exposure.js';
export { buildHistory, type ExposureHistory, type HistoryChange, type HistoryEntry, type HistoryPoint } from './history.js';
export { PolicyView, DEFAULT_PUBLIC_PORTS, DEFAULT_RESTRICTED_PORTS, globMatches } from './policy-view.js';
export type * from './types.js';
export { SEVERITIES, EXPOSURES } from './types.js';

export interface AuditOptions {
  /** Written to `tool.version` (analyze/ may not import src/version.ts). */
  toolVersion?: string;
}

/** The one finding an exception may never suppress: the news that an exception ran out. */
const UNSUPPRESSIBLE = new Set(['exception-expired']);

export function buildAuditReport(analyses: HostAnalysis[], policy: Policy | null, now: Date, options: AuditOptions = {}): AuditReport {
  const view = new PolicyView(policy, now);
  const hosts = analyses.map((a) => auditHost(a, view));
  const findings: Finding[] = [];
  for (const host of hosts) {
    const raw = CHECKS.flatMap((check) => check.run({ host, policy: view }));
    findings.push(...mergeById(raw));
  }
  // After the merge, which joins the IPv4 and IPv6 lists: one cap for every renderer (issue 8).
  capEvidenceSources(findings);
  for (const f of findings) {
    f.severity = view.severityFor(f.rule, f.severity);
    if (UNSUPPRESSIBLE.has(f.rule)) continue;
    const exception = view.exceptionsFor(f).find((e) => !isExpired(e, now));
    if (exception) {
      f.suppressed = { reason: exception.reason, expires: exception.expires };
      if (exception.location) f.suppressed.location = exception.location;
    }
  }
  findings.sort(compareFindings);
  return {
    format: 'portcullis-audit',
    version: 1,
    generatedAt: now.toISOString(),
    tool: { name: 'portcullis', version: options.toolVersion ?? '0.0.0' },
    policy: policy ? { file: policy.file } : null,
    hosts,
    findings,
    summary: countBySeverity(findings),
  };
}

/** Counts of findings per severity; suppressed findings are not counted. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const summary = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (!f.suppressed) summary[f.severity]++;
  return summary;
}

/** Worst first; then host, check, port, id (so the order is stable across runs). */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    Number(a.suppressed !== undefined) - Number(b.suppressed !== undefined) ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.host.localeCompare(b.host) ||
    a.rule.localeCompare(b.rule) ||
    (a.service?.port ?? -1) - (b.service?.port ?? -1) ||
    a.id.localeCompare(b.id)
  );
}

/** Exit-code helper: is any unsuppressed finding at or above `threshold`? */
export function hasFindingsAtOrAbove(report: AuditReport, threshold: Severity): boolean {
  return report.findings.some((f) => !f.suppressed && atOrAbove(f.severity, threshold));
}

/**
 * Policy facts only the audit can judge: check ids that do not exist (a typo in an exception
 * would silently suppress nothing). Errors, so the CLI exits 2.
 */
export function policyDiagnostics(policy: Policy): Diagnostic[] {
  const out: Diagnostic[] = [];
  const known = CHECKS.map((c) => c.id).join(', ');
  for (const id of Object.keys(policy.severity)) {
    if (checkById(id)) continue;
    const d: Diagnostic = { code: 'policy.unknown-check', severity: 'error', message: `severity: unknown check "${id}"`, expected: `one of ${known}`, input: id };
    const loc = policy.severityLocations?.[id];
    if (loc) d.location = loc;
    out.push(d);
  }
  for (const e of policy.exceptions) {
    if (e.check === null || checkById(e.check)) continue;
    const d: Diagnostic = { code: 'policy.unknown-check', severity: 'error', message: `exceptions: unknown check "${e.check}"`, expected: `one of ${known}`, input: e.check };
    if (e.location) d.location = e.location;
    out.push(d);
  }
  return out;
}

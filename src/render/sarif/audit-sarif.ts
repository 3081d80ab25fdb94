/**
 * The audit as SARIF 2.1.0 (one run): rules from the checks catalog (their descriptors come
 * from src/analyze/checks, so the catalog owns its words), one result per
 * finding, suppressed findings carried as external suppressions. Code scanning tools read
 * `level`, `security-severity` and the fingerprints; people read the message.
 *
 * @module
 */
import { escapeUnsafeJson } from '../json/stable-json.js';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { AuditReport, Finding } from '../../analyze/audit/types.js';
import { serviceKey } from '../common/order.js';
import { ruleDescriptor, sarifLevel, securitySeverity } from '../../analyze/checks/index.js';
import type { Check } from '../../analyze/checks/index.js';
import { findingLocations } from './locations.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A rule for a finding whose check is not in the catalog (a catalog out of step must not drop results). */
function fallbackRule(f: Finding): ReportingDescriptor {
  return {
    id: f.rule,
    shortDescription: { text: f.rule },
    defaultConfiguration: { level: sarifLevel(f.severity) },
    properties: { tags: ['security', 'network', 'firewall'] },
  };
}

function message(f: Finding): string {
  const facts = f.evidence.facts.length > 0 ? ` ${f.evidence.facts.join('; ')}.` : '';
  const fix = f.remediation.commands.length > 0 ? ` Fix: ${f.remediation.summary} (${f.remediation.commands.join(' ; ')})` : ` Fix: ${f.remediation.summary}`;
  return `${f.title}.${facts}${fix}`;
}

function resultOf(report: AuditReport, f: Finding, ruleIndex: number): Result {
  const { locations, related } = findingLocations(report, f);
  const result: Result = {
    ruleId: f.rule,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text: message(f) },
    locations,
    partialFingerprints: { 'portcullisFindingId/v1': f.id },
    properties: {
      host: f.host,
      service: f.service ? serviceKey(f.service) : null,
      exposure: f.evidence.exposure ?? null,
      severity: f.severity,
      'security-severity': securitySeverity(f.severity),
      remediation: f.remediation.commands,
    },
  };
  if (related.length > 0) result.relatedLocations = related;
  if (f.suppressed) {
    result.suppressions = [{ kind: 'external', status: 'accepted', justification: `${f.suppressed.reason} (until ${f.suppressed.expires})` }];
  }
  return result;
}

/** Build the SARIF log object. */
export function buildAuditSarif(report: AuditReport, checks: readonly Check[]): Log {
  const rules = checks.map(ruleDescriptor);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of report.findings) {
    if (!index.has(f.rule)) {
      index.set(f.rule, rules.length);
      rules.push(fallbackRule(f));
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules } },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt }],
        results: report.findings.map((f) => resultOf(report, f, index.get(f.rule)!)),
        properties: { hosts: report.hosts.map((h) => h.name), summary: report.summary },
      },
    ],
  };
}

/** The audit as SARIF 2.1.0 JSON text (2-space, ending in a newline). */
export function renderAuditSarif(report: AuditReport, checks: readonly Check[]): string {
  return escapeUnsafeJson(JSON.stringify(buildAuditSarif(report, checks), null, 2)) + '\n';
}

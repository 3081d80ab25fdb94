/**
 * What a check is: documentation (for the report, SARIF rules and the docs) plus a pure
 * function from one audited host to its findings.
 *
 * @module
 */
import type { PolicyView } from '../audit/policy-view.js';
import type { AuditedHost, Finding, Severity } from '../audit/types.js';

export interface CheckContext {
  host: AuditedHost;
  policy: PolicyView;
}

export interface Check {
  /** Stable, kebab-case; the file name under checks/ and the SARIF ruleId. */
  id: string;
  title: string;
  /** Default severity (a finding may be lower for narrower exposure; the policy may override). */
  severity: Severity;
  /** What it looks at and why it matters (markdown-free prose). */
  description: string;
  /** How to fix it, in general; findings carry the concrete commands. */
  remediation: string;
  run(ctx: CheckContext): Finding[];
}

/**
 * `portcullis audit`: analyse hosts (snapshots or this host), judge them against the
 * policy, render one report. Exit 1 when an unsuppressed finding is at or above --fail-on.
 *
 * @module
 */
import { buildAuditReport, hasFindingsAtOrAbove, policyDiagnostics } from '../../analyze/audit/index.js';
import type { AuditReport, Severity } from '../../analyze/audit/types.js';
import { CHECKS } from '../../analyze/checks/index.js';
import type { Policy } from '../../model/policy.js';
import { analyzeHost } from '../../pipeline.js';
import { renderAuditHtml, renderAuditJson, renderAuditSarif, renderAuditText, shouldColor } from '../../render/index.js';
import { VERSION } from '../../version.js';
import { ExitCode, InputError, failOnErrors } from '../errors.js';
import { type HostSourceOptions, analyzeSnapshotFiles, loadHosts, readInputFile, snapshotFiles } from '../load-hosts.js';
import { writeOutput } from '../output.js';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'html';

export interface AuditOptions extends HostSourceOptions {
  /** An AWS export (directory of AWS CLI output, or one combined file). */
  aws?: string;
  /** A `terraform show -json` plan. */
  terraform?: string;
  /** Client source ports for network ACL return traffic, "FROM-TO". */
  clientPorts?: string;
  config?: string;
  format?: ReportFormat;
  json?: boolean;
  out?: string;
  failOn?: Severity | 'none';
}

export async function readPolicy(file: string | undefined): Promise<Policy | null> {
  if (!file) return null;
  // Loaded only with --policy: its YAML and schema libraries cost every other run ~0.1 s to load.
  const { parsePolicy } = await import('../../parse/policy.js');
  const parsed = parsePolicy(await readInputFile(file, 'policy file'), file);
  failOnErrors(`${file} is not a valid policy`, parsed.diagnostics);
  if (!parsed.value) throw new InputError(`${file} is not a valid policy`);
  failOnErrors(`${file} is not a valid policy`, policyDiagnostics(parsed.value));
  return parsed.value;
}

/** Build the report for the hosts the options name (snapshots, or this host live). */
export async function auditReport(opts: AuditOptions, now = new Date()): Promise<AuditReport> {
  const policy = await readPolicy(opts.config);
  if (opts.aws || opts.terraform) {
    const { cloudAnalyses } = await import('../cloud-hosts.js');
    return buildAuditReport(await cloudAnalyses(opts), policy, now, { toolVersion: VERSION });
  }
  const files = snapshotFiles(opts);
  // Snapshot files go over worker threads (each host is independent); this host stays here.
  const analyses = files.length > 0 ? await analyzeSnapshotFiles(files, opts) : (await loadHosts(opts)).map(analyzeHost);
  return buildAuditReport(analyses, policy, now, { toolVersion: VERSION });
}

export function renderReport(report: AuditReport, format: ReportFormat, color: boolean): string {
  switch (format) {
    case 'json':
      return renderAuditJson(report);
    case 'sarif':
      return renderAuditSarif(report, CHECKS);
    case 'html':
      return renderAuditHtml(report);
    case 'text':
      return renderAuditText(report, { color, width: process.stdout.columns ?? 80 });
  }
}

/** Every file the command reads: `--out` must not be one of them. */
export function inputFiles(opts: AuditOptions): string[] {
  const snapshots = opts.snapshot === undefined ? [] : Array.isArray(opts.snapshot) ? opts.snapshot : [opts.snapshot];
  return [...snapshots, opts.iptables, opts.ip6tables, opts.nft, opts.config].filter((f): f is string => f !== undefined);
}

export async function runAudit(opts: AuditOptions): Promise<number> {
  const format: ReportFormat = opts.json ? 'json' : (opts.format ?? 'text');
  // Validate everything before anything is written: a bad input never clobbers --out.
  const report = await auditReport(opts);
  const color = !opts.out && format === 'text' && shouldColor(process.stdout, process.env);
  await writeOutput(opts.out, renderReport(report, format, color), inputFiles(opts));
  const threshold = opts.failOn ?? 'high';
  return threshold !== 'none' && hasFindingsAtOrAbove(report, threshold) ? ExitCode.findings : ExitCode.ok;
}

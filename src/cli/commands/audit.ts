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
import { renderAuditHtmlEach, renderAuditJsonEach, renderAuditSarif, renderAuditTextEach, shouldColor } from '../../render/index.js';
import { VERSION } from '../../version.js';
import { ExitCode, InputError, failOnErrors } from '../errors.js';
import { type HostSourceOptions, analyzeSnapshotFiles, loadHosts, readInputFile, snapshotFiles } from '../load-hosts.js';
import { type ReportText, reportTextString, writeOutput } from '../output.js';
import { checkStoreLocation, reportToStore, withCliStore } from '../store-access.js';
import { loadLatestStored } from '../stored-hosts.js';

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
  /** Audit the newest snapshot of every host in this store, and keep the report there. */
  db?: string;
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
  return (await auditWithSources(opts, now)).report;
}

/** The report, and the stored snapshots it was made from (with --db). */
async function auditWithSources(opts: AuditOptions, now: Date): Promise<{ report: AuditReport; snapshotIdOf: Map<string, number> }> {
  const policy = await readPolicy(opts.config);
  if (opts.aws || opts.terraform) {
    const { cloudAnalyses } = await import('../cloud-hosts.js');
    return { report: buildAuditReport(await cloudAnalyses(opts), policy, now, { toolVersion: VERSION }), snapshotIdOf: new Map() };
  }
  if (opts.db !== undefined) {
    const { hosts, snapshotIdOf } = await loadLatestStored(opts.db);
    return { report: buildAuditReport(hosts.map(analyzeHost), policy, now, { toolVersion: VERSION }), snapshotIdOf };
  }
  const files = snapshotFiles(opts);
  // Snapshot files go over worker threads (each host is independent); this host stays here.
  const analyses = files.length > 0 ? await analyzeSnapshotFiles(files, opts) : (await loadHosts(opts)).map(analyzeHost);
  return { report: buildAuditReport(analyses, policy, now, { toolVersion: VERSION }), snapshotIdOf: new Map<string, number>() };
}

/** --db reads the store's hosts: any other host source with it is a contradiction. */
function checkDbOptions(opts: AuditOptions): void {
  if (opts.db === undefined) return;
  const other = (['snapshot', 'aws', 'terraform', 'iptables', 'ip6tables', 'nft'] as const).find((k) => opts[k] !== undefined);
  if (other) throw new InputError(`--db audits the newest stored snapshot of every host: give no --${other} with it`);
  checkStoreLocation(opts.db);
}

export function renderReport(report: AuditReport, format: ReportFormat, color: boolean): string {
  return reportTextString(renderReportChunks(report, format, color));
}

/** The report as one string (SARIF), or as pieces made while they are written (JSON, HTML, text: issue 8). */
function renderReportChunks(report: AuditReport, format: ReportFormat, color: boolean): ReportText {
  switch (format) {
    case 'json':
      return { each: (emit) => renderAuditJsonEach(report, emit) };
    case 'sarif':
      return renderAuditSarif(report, CHECKS);
    case 'html':
      return { each: (emit) => renderAuditHtmlEach(report, emit) };
    case 'text':
      return { each: (emit) => renderAuditTextEach(report, { color, width: process.stdout.columns ?? 80 }, emit) };
  }
}

/** Every file the command reads: `--out` must not be one of them. */
export function inputFiles(opts: AuditOptions): string[] {
  const snapshots = opts.snapshot === undefined ? [] : Array.isArray(opts.snapshot) ? opts.snapshot : [opts.snapshot];
  return [...snapshots, opts.iptables, opts.ip6tables, opts.nft, opts.config].filter((f): f is string => f !== undefined);
}

export async function runAudit(opts: AuditOptions): Promise<number> {
  const format: ReportFormat = opts.json ? 'json' : (opts.format ?? 'text');
  checkDbOptions(opts);
  // Validate everything before anything is written: a bad input never clobbers --out.
  const { report, snapshotIdOf } = await auditWithSources(opts, new Date());
  const color = !opts.out && format === 'text' && shouldColor(process.stdout, process.env);
  await writeOutput(opts.out, renderReportChunks(report, format, color), inputFiles(opts));
  if (opts.db !== undefined) {
    // The report is kept as JSON, host by host, whatever format was printed.
    await withCliStore(opts.db, (store) => store.saveReport(reportToStore(report, snapshotIdOf)));
  }
  const threshold = opts.failOn ?? 'high';
  return threshold !== 'none' && hasFindingsAtOrAbove(report, threshold) ? ExitCode.findings : ExitCode.ok;
}

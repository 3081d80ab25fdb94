/**
 * `portcullis diff OLD NEW`: what changed in exposure between two snapshots (or two audit
 * JSON reports). Exit 1 when something got worse (wider exposure, or a new finding at or above
 * --fail-on), so a deploy can be gated on "exposes nothing new".
 *
 * @module
 */
import { buildAuditReport, diffReports } from '../../analyze/audit/index.js';
import type { AuditReport, Severity } from '../../analyze/audit/types.js';
import { analyzeHost } from '../../pipeline.js';
import type { Policy } from '../../model/policy.js';
import { renderDiffJson, renderDiffText, shouldColor } from '../../render/index.js';
import { VERSION } from '../../version.js';
import { MAX_JSON_DEPTH, excessiveNesting } from '../../parse/json-depth.js';
import { ExitCode, InputError, failOnErrors } from '../errors.js';
import { loadSnapshotText, readInputFile } from '../load-hosts.js';
import { auditReportOf } from '../read-audit-report.js';
import { writeOutput } from '../output.js';
import { readPolicy } from './audit.js';

export interface DiffOptions {
  config?: string;
  format?: 'text' | 'json';
  json?: boolean;
  out?: string;
  failOn?: Severity | 'none';
}

async function reportOf(file: string, policy: Policy | null, now: Date): Promise<AuditReport> {
  const text = await readInputFile(file, 'snapshot or report');
  let format: unknown;
  const deep = excessiveNesting(text);
  if (deep) throw new InputError(`${file} at ${deep.path}: JSON nested more than ${MAX_JSON_DEPTH} levels deep (line ${deep.line})`);
  try {
    format = (JSON.parse(text) as { format?: unknown }).format;
  } catch {
    format = undefined; // parseSnapshot gives the located error
  }
  if (format === 'portcullis-audit') return auditReportOf(JSON.parse(text), file);
  return snapshotReport(text, file, policy, now);
}

/** The one-host audit report of a snapshot's JSON text; `name` renames the host (a store key). */
export function snapshotReport(text: string, label: string, policy: Policy | null, now: Date, name?: string): AuditReport {
  const host = loadSnapshotText(text, label);
  if (name !== undefined) host.name = name;
  failOnErrors(`cannot analyse ${label}`, host.diagnostics);
  return buildAuditReport([analyzeHost(host)], policy, now, { toolVersion: VERSION });
}

export async function runDiff(oldFile: string, newFile: string, opts: DiffOptions): Promise<number> {
  const policy = await readPolicy(opts.config);
  const now = new Date();
  const diff = diffReports(await reportOf(oldFile, policy, now), await reportOf(newFile, policy, now), { failOn: opts.failOn ?? 'high' });
  const json = opts.json || opts.format === 'json';
  const color = !opts.out && !json && shouldColor(process.stdout, process.env);
  const inputs = [oldFile, newFile, ...(opts.config ? [opts.config] : [])];
  await writeOutput(opts.out, json ? renderDiffJson(diff) : renderDiffText(diff, { color, width: process.stdout.columns ?? 80 }), inputs);
  return diff.worsened ? ExitCode.findings : ExitCode.ok;
}

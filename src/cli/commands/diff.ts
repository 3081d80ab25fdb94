/**
 * `portcullis diff OLD NEW`: what changed in exposure between two snapshots (or two audit
 * JSON reports). Exit 1 when something got worse (wider exposure, or a new finding at or above
 * --fail-on), so a deploy can be gated on "exposes nothing new".
 *
 * @module
 */
import { buildAuditReport, diffReports } from '../../analyze/audit/index.js';
import type { AuditReport, Severity } from '../../analyze/audit/types.js';
import { analyzeHost, loadHost } from '../../pipeline.js';
import { parseSnapshot } from '../../parse/snapshot.js';
import { renderDiffJson, renderDiffText, shouldColor } from '../../render/index.js';
import { VERSION } from '../../version.js';
import { MAX_JSON_DEPTH, excessiveNesting } from '../../parse/json-depth.js';
import { ExitCode, InputError, failOnErrors } from '../errors.js';
import { readInputFile } from '../load-hosts.js';
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

async function reportOf(file: string, policy: Awaited<ReturnType<typeof readPolicy>>, now: Date): Promise<AuditReport> {
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
  const parsed = parseSnapshot(text, file);
  failOnErrors(`${file} is not a usable Portcullis snapshot`, parsed.diagnostics);
  if (!parsed.value) throw new InputError(`${file} is not a usable Portcullis snapshot`);
  const host = loadHost(parsed.value, file);
  host.diagnostics.unshift(...parsed.diagnostics);
  failOnErrors(`cannot analyse ${file}`, host.diagnostics);
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

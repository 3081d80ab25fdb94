/**
 * `portcullis diff --terraform PLAN.json`: what the plan newly exposes to the internet (the
 * network before it applies vs after), for a pipeline gate. Exit 1 when it adds a finding
 * at or above --fail-on (default high), 0 otherwise. `--format sarif`: the added findings as
 * SARIF, each at the Terraform resources (address, plan file line) of its deciding rules.
 *
 * @module
 */
import { buildAuditReport, diffReports } from '../../analyze/audit/index.js';
import { SEVERITIES, type Severity } from '../../analyze/audit/types.js';
import { analyzeCloud } from '../../cloud-pipeline.js';
import { CHECKS } from '../../analyze/checks/index.js';
import { renderAuditSarif, renderDiffJson, renderDiffText, shouldColor } from '../../render/index.js';
import { VERSION } from '../../version.js';
import { ExitCode, failOnErrors } from '../errors.js';
import { readInputFile } from '../load-hosts.js';
import { writeOutput } from '../output.js';
import { readPolicy } from './audit.js';

export interface DiffTerraformOptions {
  config?: string;
  format?: 'text' | 'json' | 'sarif';
  json?: boolean;
  out?: string;
  failOn?: Severity | 'none';
}

export async function runDiffTerraform(file: string, opts: DiffTerraformOptions): Promise<number> {
  const policy = await readPolicy(opts.config);
  const text = await readInputFile(file, 'Terraform plan (terraform show -json)');
  const now = new Date();
  const report = (stage: 'before' | 'after') => {
    const result = analyzeCloud({ source: { kind: 'terraform', file, text, stage }, exportedAt: now.toISOString() }, []);
    failOnErrors(`cannot analyse the Terraform plan ${file}`, result.diagnostics);
    return buildAuditReport(result.value, policy, now, { toolVersion: VERSION });
  };
  const after = report('after');
  const diff = diffReports(report('before'), after);
  const json = opts.json || opts.format === 'json';
  const color = !opts.out && !json && shouldColor(process.stdout, process.env);
  // SARIF: the findings the plan adds, located at the resources that declare their rules (code scanning reads it).
  const out = opts.format === 'sarif' ? renderAuditSarif({ ...after, findings: diff.findingsAdded }, CHECKS) : json ? renderDiffJson(diff) : renderDiffText(diff, { color, width: process.stdout.columns ?? 80 });
  await writeOutput(opts.out, out);
  const threshold = opts.failOn ?? 'high';
  if (threshold === 'none') return ExitCode.ok;
  const worst = SEVERITIES.indexOf(threshold);
  return diff.findingsAdded.some((f) => SEVERITIES.indexOf(f.severity) <= worst) ? ExitCode.findings : ExitCode.ok;
}

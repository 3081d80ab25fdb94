/**
 * `audit --aws`: read the export and any snapshots, run the cloud pipeline, turn its
 * errors into InputError (exit 2) and print its warnings.
 *
 * @module
 */
import type { HostAnalysis } from '../analyze/types.js';
import { stat } from 'node:fs/promises';
import { type CloudInput, analyzeCloud } from '../cloud-pipeline.js';
import { describeDiagnostic, failOnErrors, InputError } from './errors.js';
import { type HostSourceOptions, loadHosts, readInputFile } from './load-hosts.js';
import { readAwsExport } from './read-aws-export.js';

export interface CloudSourceOptions extends HostSourceOptions {
  aws?: string;
  terraform?: string;
  clientPorts?: string;
}

/** "1024-65535" → the range; InputError otherwise. */
export function parseClientPorts(text: string): { from: number; to: number } {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(text.trim());
  const from = m ? Number(m[1]) : NaN;
  const to = m ? Number(m[2]) : NaN;
  if (!m || from < 1 || to > 65535 || from > to) throw new InputError(`--client-ports: expected FROM-TO within 1-65535, e.g. 32768-60999 (Linux) or 49152-65535 (Windows); got "${text}"`);
  return { from, to };
}

export async function cloudAnalyses(opts: CloudSourceOptions): Promise<HostAnalysis[]> {
  const clientPorts = opts.clientPorts ? parseClientPorts(opts.clientPorts) : undefined;
  if (opts.aws && opts.terraform) throw new InputError('--aws and --terraform describe one network each: give one of them');
  let input: CloudInput;
  if (opts.terraform) {
    const text = await readInputFile(opts.terraform, 'Terraform plan (terraform show -json)');
    input = { source: { kind: 'terraform', file: opts.terraform, text }, exportedAt: (await stat(opts.terraform)).mtime.toISOString() };
  } else {
    const { files, exportedAt } = await readAwsExport(opts.aws!);
    input = { source: { kind: 'aws', files }, exportedAt };
  }
  if (clientPorts) input.options = { clientPorts };
  const hosts = opts.snapshot === undefined ? [] : await loadHosts(opts);
  const result = analyzeCloud(input, hosts);
  failOnErrors(`cannot analyse ${opts.terraform ? `the Terraform plan ${opts.terraform}` : `the AWS export ${opts.aws}`}`, result.diagnostics);
  for (const d of result.diagnostics) process.stderr.write(`portcullis: ${describeDiagnostic(d)}\n`);
  return result.value;
}

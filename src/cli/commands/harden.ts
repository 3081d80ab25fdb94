/**
 * `portcullis harden`: the allowlist firewall the policy asks for, generated from the host's
 * listeners, written to a folder, and proven (src/harden-proof.ts). Exit 0 when the proof
 * holds, 1 when it does not (differences printed, files still written), 2 on bad input.
 *
 * @module
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cloudRemediation } from '../../analyze/harden/cloud-remediation.js';
import { planHarden } from '../../analyze/harden/plan.js';
import type { HardenPlan } from '../../analyze/harden/types.js';
import { writeFileAtomic } from '../../collect/index.js';
import { realHostIO } from '../../collect/real-host-io.js';
import { findSshConnection, proveHarden, type RulesetFiles } from '../../harden-proof.js';
import { analyzeHost } from '../../pipeline.js';
import { renderHardenIptables, renderHardenNft, renderHardenPlanJson, renderHardenSysctl, renderHardenText } from '../../render/harden/index.js';
import { ExitCode, InputError, describeDiagnostic, failOnErrors } from '../errors.js';
import { loadHosts } from '../load-hosts.js';
import { readPolicy } from './audit.js';

export interface HardenOptions {
  snapshot?: string;
  config?: string;
  format?: 'nft' | 'iptables';
  out?: string;
  /** An AWS export, or a `terraform show -json` plan: write the cloud changes too. */
  aws?: string;
  terraform?: string;
}

/** cloud-aws.sh and cloud.tf for the instance the snapshot is joined with (none when nothing to change). */
async function cloudFiles(opts: HardenOptions, collectedAt: string, plan: HardenPlan): Promise<[string, string][]> {
  if (!opts.aws && !opts.terraform) return [];
  if (opts.snapshot === undefined) throw new InputError('harden --aws/--terraform needs --snapshot: the snapshot of the instance, to join with the cloud layer (collect it with portcullis collect)');
  const { cloudAnalyses } = await import('../cloud-hosts.js');
  const joined = (await cloudAnalyses({ snapshot: opts.snapshot, ...(opts.aws ? { aws: opts.aws } : {}), ...(opts.terraform ? { terraform: opts.terraform } : {}) })).find((a) => a.cloud && a.collectedAt === collectedAt && a.services.length > 0);
  if (!joined) throw new InputError(`${opts.snapshot} matches no instance of ${opts.aws ?? opts.terraform} (by private address): no cloud change can be written`);
  const { awsCli, terraform } = cloudRemediation(plan, joined);
  const out: [string, string][] = [];
  if (awsCli.length > 0) out.push(['cloud-aws.sh', `#!/bin/sh\n# portcullis harden: security group changes for ${joined.name} (review, then run)\nset -eu\n${awsCli.join('\n')}\n`]);
  if (terraform.length > 0) out.push(['cloud.tf', `# portcullis harden: security group changes for ${joined.name}\n${terraform.join('\n')}\n`]);
  return out;
}

async function ensureDirectory(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => null);
  if (st && !st.isDirectory()) throw new InputError(`--out ${dir} is not a directory; expected a folder for ruleset.nft (or rules.v4, rules.v6), sysctl.conf and plan.json`);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new InputError(`cannot create ${dir}: ${(err as Error).message}`);
  }
}

export async function runHarden(opts: HardenOptions): Promise<number> {
  const format = opts.format ?? 'nft';
  const policy = await readPolicy(opts.config);
  const [loaded] = await loadHosts(opts.snapshot === undefined ? {} : { snapshot: opts.snapshot });
  if (!loaded) throw new InputError('no host to harden');
  const planned = planHarden(analyzeHost(loaded), policy);
  failOnErrors(`${opts.config ?? 'the default policy'} cannot be applied to ${loaded.snapshot.host.hostname}`, planned.diagnostics);
  for (const d of planned.diagnostics) process.stderr.write(`portcullis: warning: ${describeDiagnostic(d)}\n`);
  const plan = planned.value!;

  const files: RulesetFiles = format === 'nft' ? { format, nft: renderHardenNft(plan) } : { format, ...renderHardenIptables(plan) };
  const out = opts.out ?? 'portcullis-harden';
  await ensureDirectory(out);
  const contents: [string, string][] = [
    ...(files.format === 'nft' ? ([['ruleset.nft', files.nft]] as [string, string][]) : ([['rules.v4', files.rulesV4], ['rules.v6', files.rulesV6]] as [string, string][])),
    ['sysctl.conf', renderHardenSysctl(plan)],
    ['plan.json', renderHardenPlanJson(plan)],
    ...(await cloudFiles(opts, loaded.snapshot.collectedAt, plan)),
  ];
  const written: string[] = [];
  for (const [name, text] of contents) {
    const path = join(out, name);
    await writeFileAtomic(path, text).catch((err: Error) => {
      throw new InputError(`cannot write ${path}: ${err.message}`);
    });
    written.push(path);
  }

  const io = realHostIO();
  const sshConnection = await findSshConnection(process.env, process.pid, io);
  const proof = await proveHarden({ snapshot: loaded.snapshot, file: loaded.file, files, plan, sshConnection, exec: io.exec });
  const outcome = { files: written, differences: proof.differences, lockout: proof.lockout, holds: proof.holds, overridden: proof.overridden, ...(proof.failure ? { failure: proof.failure } : {}) };
  process.stdout.write(renderHardenText(plan, outcome));
  return proof.holds ? ExitCode.ok : ExitCode.findings;
}

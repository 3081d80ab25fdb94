/**
 * The engine behind `apply` for harden's output folder (it has plan.json): the proof
 * (src/harden-proof.ts: the files load in a scratch namespace, the host as it will be
 * matches the plan's intent, the current SSH session keeps sshd) and, for `--dry-run`, the
 * reachability diff per service between this host now and as it will be. Other files have
 * no intent to prove against: apply says so and relies on the kernel's check and the guard.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { buildAuditReport, diffReports } from '../analyze/audit/index.js';
import type { HardenPlan } from '../analyze/harden/types.js';
import { ApplyError, schemaProblem, type ApplyInput, type PreviewRuleset, type ProofVerdict, type ProveRuleset } from '../apply/index.js';
import { previewRuleset } from '../collect/preview-ruleset.js';
import { realHostIO } from '../collect/real-host-io.js';
import { hostAfter } from '../harden-host.js';
import { findSshConnection, proveHarden, type HardenProof, type RulesetFiles } from '../harden-proof.js';
import { analyzeHost, loadHost, type LoadedHost } from '../pipeline.js';
import { renderDiffText } from '../render/index.js';
import { VERSION } from '../version.js';
import { failOnErrors } from './errors.js';
import { loadHosts } from './load-hosts.js';

export interface ApplyEngine {
  prove: ProveRuleset;
  preview: PreviewRuleset;
}

interface Context {
  plan: HardenPlan;
  files: RulesetFiles;
  host: LoadedHost;
}

async function readPlan(file: string): Promise<HardenPlan> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ApplyError('input', `${file}: not a readable JSON plan (${(err as Error).message}); expected the plan.json portcullis harden wrote`);
  }
  const problem = schemaProblem('harden-plan.schema.json', data);
  if (problem) throw new ApplyError('input', `${file} at ${problem.path}: not a valid harden plan (${problem.message}); expected the plan.json portcullis harden wrote`);
  return data as HardenPlan;
}

async function filesOf(input: ApplyInput): Promise<RulesetFiles> {
  const text = (suffix: string) => {
    const f = input.files.find((x) => x.path.endsWith(suffix));
    return f ? readFile(f.path, 'utf8') : Promise.resolve('');
  };
  if (input.format === 'nft') return { format: 'nft', nft: await readFile(input.files[0]!.path, 'utf8') };
  return { format: 'iptables', rulesV4: await text('.v4'), rulesV6: await text('.v6') };
}

const NO_PLAN = 'not run: no plan.json next to the rules (not harden\'s output folder), so there is no intent to prove them against; the kernel\'s check accepted the file and the guard is the way back';

/** The engine for this host, collected live once per run. */
export function hardenApplyEngine(): ApplyEngine {
  let context: Promise<Context> | undefined;
  const contextOf = (input: ApplyInput, planFile: string): Promise<Context> =>
    (context ??= (async () => {
      const plan = await readPlan(planFile);
      const files = await filesOf(input);
      const [host] = await loadHosts({});
      return { plan, files, host: host! };
    })());

  const prove: ProveRuleset = async (input) => {
    if (!input.planFile) return { holds: true, lines: [NO_PLAN] };
    const ctx = await contextOf(input, input.planFile);
    const io = realHostIO();
    const sshConnection = await findSshConnection(process.env, process.pid, io);
    const proof = await proveHarden({ snapshot: ctx.host.snapshot, file: ctx.host.file, files: ctx.files, plan: ctx.plan, sshConnection, exec: io.exec });
    return verdictOf(proof, ctx.plan, sshConnection?.client ?? null);
  };

  const preview: PreviewRuleset = async (input) => {
    if (!input.planFile) return 'reachability diff: not available without plan.json (the host as it will be is computed for harden\'s output: its table inet portcullis, or its filter tables)';
    const ctx = await contextOf(input, input.planFile);
    const scratch = await previewRuleset(ctx.files, realHostIO().exec);
    if (!scratch.ok) throw new ApplyError('input', `the files do not load in a scratch namespace (${scratch.stage}: ${scratch.command}): ${scratch.message}`);
    const dumps: Parameters<typeof hostAfter>[1] = {};
    if (scratch.nftJson !== undefined) dumps.nftJson = scratch.nftJson;
    if (scratch.iptablesSave !== undefined) dumps.iptablesSave = scratch.iptablesSave;
    if (scratch.ip6tablesSave !== undefined) dumps.ip6tablesSave = scratch.ip6tablesSave;
    const after = loadHost(hostAfter(ctx.host.snapshot, dumps), 'this host (after apply)');
    failOnErrors('cannot analyse this host as it will be', after.diagnostics);
    const now = new Date();
    const before = buildAuditReport([analyzeHost(ctx.host)], null, now, { toolVersion: VERSION });
    const afterReport = buildAuditReport([analyzeHost(after)], null, now, { toolVersion: VERSION });
    const diff = diffReports(before, afterReport, { failOn: 'none' });
    return `Reachability per service, this host now → with ${input.path}:\n${renderDiffText(diff, { color: false, width: process.stdout.columns ?? 80 })}`;
  };

  return { prove, preview };
}

function verdictOf(proof: HardenProof, plan: HardenPlan, client: string | null): ProofVerdict {
  const lines: string[] = [];
  if (proof.failure) lines.push(`the files do not load in a scratch namespace (${proof.failure.stage}: ${proof.failure.command}): ${proof.failure.message}`);
  for (const d of proof.differences) {
    const what = d.kind === 'missing' ? 'cannot be reached from' : 'is also reachable from';
    lines.push(`${d.port}/${d.proto} on ${d.address} (${d.family}) ${what} ${d.sources.slice(0, 8).join(', ')}${d.sources.length > 8 ? ` and ${d.sources.length - 8} more` : ''}; intended: ${d.intent}`);
  }
  if (proof.lockout && !proof.lockout.reachable) lines.push(proof.lockout.message ?? 'this SSH session would be locked out');
  if (proof.holds) lines.push(`holds: loaded in a scratch network namespace, the host as it will be admits exactly what plan.json intends (${plan.open.length} open services), nothing else from outside`);
  if (proof.lockout?.reachable) lines.push(`this SSH session (from ${client}) keeps its access to sshd`);
  for (const o of proof.overridden) {
    lines.push(`left in ${o.rule.backend} and overridden by the new rules (${o.services.join(', ')}; audit: backend-conflict): ${o.rule.text}; once confirmed, delete it: ${o.remove ?? 'nft -a list ruleset, then nft delete rule … handle N'}`);
  }
  return { holds: proof.holds, lines };
}

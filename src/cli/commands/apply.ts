/**
 * `portcullis apply PATH [--confirm-within SECONDS] [--dry-run] [--state-dir DIR]`,
 * `portcullis apply --confirm`, `portcullis apply --rollback`: the thin CLI over src/apply.
 * Exit 0 applied and armed (or confirmed, rolled back); 1 refused by the proof; 2 bad input,
 * a guard already armed, a damaged state dir, or no way to save the running rules.
 *
 * @module
 */
import { ApplyError, applyRuleset, confirmApply, realRunCommand, resolveApplyInput, rollbackApply, spawnDetachedGuard, type ApplyOutcome, type PreviewRuleset, type ProveRuleset } from '../../apply/index.js';
import { ExitCode, InputError } from '../errors.js';

export interface ApplyOptions {
  confirmWithin?: string;
  dryRun?: boolean;
  stateDir?: string;
  confirm?: boolean;
  rollback?: boolean;
}

/** The engine's proof and preview (src/cli/apply-engine.ts; tests may pass others). */
export interface ApplyEngine {
  prove?: ProveRuleset;
  preview?: PreviewRuleset;
}

const DEFAULT_STATE_DIR = '/var/lib/portcullis';

export async function runApply(path: string | undefined, opts: ApplyOptions, engine?: ApplyEngine): Promise<number> {
  engine ??= (await import('../apply-engine.js')).hardenApplyEngine();
  const stateDir = opts.stateDir ?? process.env['PORTCULLIS_STATE_DIR'] ?? DEFAULT_STATE_DIR;
  const say = (line: string): void => { process.stdout.write(`${line}\n`); };
  // The kernel's tools refuse a normal user (even `nft -c` needs CAP_NET_ADMIN): say so plainly.
  if (typeof process.geteuid === 'function' && process.geteuid() !== 0) throw new InputError('apply changes (or checks) the firewall and needs root: run it with sudo');
  try {
    if (opts.confirm || opts.rollback) {
      if (opts.confirm && opts.rollback) throw new InputError('apply: --confirm and --rollback exclude each other');
      if (path !== undefined) throw new InputError('apply --confirm/--rollback takes no PATH (they act on the armed guard in --state-dir)');
      const outcome = opts.confirm ? await confirmApply(stateDir) : await rollbackApply(stateDir, realRunCommand);
      say(describeOutcome(outcome, stateDir));
      return outcome.result === 'restore-failed' || (opts.confirm && outcome.result !== 'kept') ? ExitCode.findings : ExitCode.ok;
    }
    if (path === undefined) throw new InputError('apply needs PATH (a ruleset.nft, rules.v4/rules.v6, or the folder portcullis harden wrote), or --confirm / --rollback');
    const seconds = confirmWithin(opts.confirmWithin);
    if (opts.dryRun) return await dryRun(path, engine, say);

    const report = await applyRuleset({ path, stateDir, confirmWithin: seconds }, { run: realRunCommand, spawnGuard: spawnDetachedGuard, ...(engine.prove ? { prove: engine.prove } : {}) });
    if (report.proof) for (const l of report.proof.lines) say(`proof: ${l}`);
    else say('proof: not run (this build has no engine proof of the host-as-it-will-be); the kernel tools accepted the file');
    const saved = report.manifest.dumps.filter((d) => d.file !== null).map((d) => d.dump);
    say(`saved the running rules (${saved.join(', ')}) to ${report.paths.backupDir}`);
    for (const l of report.loaded) say(`loaded: ${l}`);
    say(`the previous rules come back at ${report.guard.deadline} (in ${seconds} s; guard pid ${report.guard.pid}, log ${report.paths.log}) unless you confirm:`);
    say(`  portcullis apply --confirm --state-dir ${stateDir}`);
    say(`(to go back now: portcullis apply --rollback --state-dir ${stateDir})`);
    return ExitCode.ok;
  } catch (err) {
    if (!(err instanceof ApplyError)) throw err;
    if (err.kind === 'refused') {
      process.stderr.write(`portcullis apply: refused: ${err.message}\n`);
      return ExitCode.findings;
    }
    throw new InputError(`apply: ${err.message}`);
  }
}

function confirmWithin(value: string | undefined): number {
  if (value === undefined) return 60;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 86_400) throw new InputError(`apply --confirm-within: expected whole seconds from 1 to 86400 (e.g. 60); got "${value.slice(0, 40)}"`);
  return Number(value);
}

async function dryRun(path: string, engine: ApplyEngine, say: (line: string) => void): Promise<number> {
  const input = await resolveApplyInput(path);
  for (const file of input.files) {
    const r = await realRunCommand(file.check);
    if (!r.ok || r.code !== 0) throw new ApplyError('input', `${file.path} does not load (${file.check.join(' ')}: ${r.ok ? r.stderr.trim().slice(0, 800) : r.message})`);
    say(`${file.path}: accepted by ${file.check.join(' ')}`);
  }
  if (engine.preview) say(await engine.preview(input));
  else say('reachability diff: not available (this build has no engine preview of the host-as-it-will-be)');
  const verdict = engine.prove ? await engine.prove(input) : null;
  if (verdict) for (const l of verdict.lines) say(`proof: ${l}`);
  say('dry run: nothing was changed');
  return verdict && !verdict.holds ? ExitCode.findings : ExitCode.ok;
}

function describeOutcome(o: ApplyOutcome, stateDir: string): string {
  if (o.result === 'kept') return o.reason === 'confirmed' ? 'confirmed: the new rules stay; the guard has stood down' : `kept (${o.reason})`;
  const lines = [o.result === 'rolled-back' ? `rolled back (${o.reason}): the previous rules are back, exactly` : `rolled back (${o.reason}) but NOT exactly; restore by hand from ${stateDir}/backup (README: "Rolling back by hand")`];
  lines.push(`  touched: ${o.touched.length ? o.touched.join('; ') : 'nothing (the rules were already as saved)'}`);
  for (const f of o.failures) lines.push(`  failed: ${f}`);
  for (const d of o.differences) lines.push(`  still differs: ${d}`);
  for (const n of o.inexact) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

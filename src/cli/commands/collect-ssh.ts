/**
 * `portcullis collect --ssh [TARGET…] [--inventory FILE] [--limit PATTERN] [--parallel N]
 * [--sudo] [--timeout S] [--ssh-config FILE] (--out DIR | --db URL)`: one snapshot per host,
 * collected agentless through the system ssh, written atomically as DIR/<name>.json and/or kept
 * in the store under the host's name (one transaction for the run). Exit 0 when every host
 * succeeded, 1 when some failed (each with its reason), 2 on bad input.
 *
 * @module
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotToJson, writeFileAtomic } from '../../collect/index.js';
import { type SshHostResult, DEFAULT_SSH_PARALLEL, DEFAULT_SSH_TIMEOUT_S, collectOverSsh } from '../../collect/ssh/index.js';
import { type SshTarget, snapshotFileName } from '../../model/ssh-target.js';
import { inventoryTargets, parseAnsibleInventory } from '../../parse/ansible-inventory/index.js';
import { parseSshTarget } from '../../parse/ssh-target.js';
import { ExitCode, InputError, describeDiagnostic, failOnErrors } from '../errors.js';
import { printableLines } from '../../render/common/printable.js';
import { collectSummary } from './collect.js';
import { FleetProgress } from './fleet-progress.js';
import { checkStoreLocation, storeSnapshots } from '../store-access.js';

export interface CollectSshOptions {
  ssh?: string[] | boolean;
  inventory?: string;
  limit?: string;
  parallel?: string;
  sudo?: boolean;
  timeout?: string;
  sshConfig?: string;
  out?: string;
  /** Also keep every collected snapshot in this store, keyed by the host's name. */
  db?: string;
}

export async function runCollectSsh(opts: CollectSshOptions): Promise<number> {
  const targets = await resolveSshTargets(opts);
  const parallel = integerOption(opts.parallel, '--parallel', DEFAULT_SSH_PARALLEL, 1, 1000);
  const timeoutSeconds = integerOption(opts.timeout, '--timeout', DEFAULT_SSH_TIMEOUT_S, 1, 86_400);
  if (opts.db !== undefined) checkStoreLocation(opts.db);
  if ((!opts.out && opts.db === undefined) || opts.out === '-') throw new InputError('collect --ssh writes one snapshot per host: give --out DIR (a directory, created if missing) and/or --db URL');
  const dir = opts.out || undefined;
  if (dir !== undefined) await prepareDirectory(dir);
  if (opts.sshConfig !== undefined) await readFile(opts.sshConfig).catch(() => Promise.reject(new InputError(`--ssh-config ${opts.sshConfig}: cannot read it`)));

  const progress = new FleetProgress(targets.length);
  const writes: Promise<void>[] = [];
  const report = (r: SshHostResult): void => {
    if (!r.ok) {
      progress.line(`portcullis collect: ${r.name}: FAILED (${r.error.kind}): ${printableLines(r.error.message)}\n`, false);
    } else if (dir === undefined) {
      progress.line(`portcullis collect: ${r.name}: ok (${r.seconds.toFixed(1)} s)\n${prefixed(r.name, collectSummary(r.snapshot))}`, true);
    } else {
      const file = join(dir, snapshotFileName(r.name));
      writes.push(writeFileAtomic(file, snapshotToJson(r.snapshot)).then(
        () => progress.line(`portcullis collect: ${r.name}: ok (${r.seconds.toFixed(1)} s) → ${file}\n${prefixed(r.name, collectSummary(r.snapshot))}`, true),
        (err: unknown) => Promise.reject(new InputError(`cannot write ${file}: ${(err as Error).message}`)),
      ));
    }
  };
  const results = await collectOverSsh(targets, {
    parallel,
    timeoutSeconds,
    ...(opts.sudo ? { sudo: true } : {}),
    ...(opts.sshConfig !== undefined ? { sshConfig: opts.sshConfig } : {}),
    onStart: () => progress.started(),
    onResult: report,
  });
  await Promise.all(writes);
  progress.end();
  const failed = results.filter((r) => !r.ok).length;
  if (opts.db !== undefined) {
    const collected = results.flatMap((r) => (r.ok ? [{ host: r.name, snapshot: r.snapshot }] : []));
    if (collected.length > 0) await storeSnapshots(opts.db, collected);
    process.stderr.write(`portcullis collect: ${collected.length} snapshot(s) stored in ${printableLines(opts.db)}\n`);
  }
  process.stderr.write(`portcullis collect: ${results.length - failed} of ${results.length} host(s) collected${dir === undefined ? '' : ` into ${dir}`}${failed > 0 ? `, ${failed} failed` : ''}\n`);
  return failed > 0 ? ExitCode.findings : ExitCode.ok;
}

/** The summary lines of one host, each naming it. */
function prefixed(name: string, summary: string): string {
  return summary.replace(/^portcullis collect: /gm, `portcullis collect: ${name}: `);
}

/**
 * The targets of `--ssh TARGET…` and `--inventory FILE [--limit PATTERN]` together, checked
 * (InputError on bad input, warnings printed), each name filing to its own snapshot. Shared
 * with the other fleet commands.
 */
export async function resolveSshTargets(opts: Pick<CollectSshOptions, 'ssh' | 'inventory' | 'limit'>, command: 'collect' | 'watch' = 'collect'): Promise<SshTarget[]> {
  const targets: SshTarget[] = [];
  for (const text of Array.isArray(opts.ssh) ? opts.ssh : []) {
    const parsed = parseSshTarget(text, '--ssh');
    failOnErrors('bad --ssh target', parsed.diagnostics);
    targets.push(parsed.value!);
  }
  if (opts.inventory !== undefined) {
    const text = await readFile(opts.inventory, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new InputError(`--inventory ${opts.inventory}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    });
    const inv = parseAnsibleInventory(text, opts.inventory);
    failOnErrors(`cannot read the inventory ${opts.inventory}`, inv.diagnostics);
    const selected = inventoryTargets(inv.value, opts.inventory, opts.limit);
    failOnErrors(`cannot use the inventory ${opts.inventory}`, selected.diagnostics);
    for (const d of selected.diagnostics) process.stderr.write(`portcullis ${command}: warning: ${describeDiagnostic(d)}\n`);
    targets.push(...selected.value);
  } else if (opts.limit !== undefined) {
    throw new InputError('--limit selects hosts of an inventory: give --inventory FILE too');
  }
  if (targets.length === 0) {
    throw new InputError(opts.inventory !== undefined ? `no host of ${opts.inventory} to ${command}${opts.limit !== undefined ? ` (--limit ${opts.limit} matches none)` : ''}` : `${command} --ssh needs targets: --ssh [USER@]HOST[:PORT]… or --inventory FILE`);
  }
  const files = new Map<string, string>();
  for (const t of targets) {
    const file = snapshotFileName(t.name);
    const other = files.get(file);
    if (other !== undefined) throw new InputError(`"${other}" and "${t.name}" would both be written to ${file}: give each host once`);
    files.set(file, t.name);
  }
  return targets;
}

/** A whole-number option (--parallel, --timeout) within bounds; shared with `watch`. */
export function integerOption(text: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new InputError(`${flag} ${text}: expected a whole number from ${min} to ${max}`);
  return n;
}

async function prepareDirectory(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => null);
  if (st && !st.isDirectory()) throw new InputError(`--out ${dir}: not a directory (collect --ssh writes one file per host into it)`);
  if (!st) await mkdir(dir, { recursive: true }).catch((err: Error) => Promise.reject(new InputError(`--out ${dir}: cannot create it: ${err.message}`)));
}

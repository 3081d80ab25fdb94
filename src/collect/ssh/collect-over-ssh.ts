/**
 * Collect many hosts over SSH, a bounded number at a time: for each, run the shipped
 * collector script through the system ssh, parse its bundle, and replay it into the same
 * `collectSnapshot` a local collect runs. A host that fails gives its reason; the others go on.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { formatLocation } from '../../model/diagnostics.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { SshTarget } from '../../model/ssh-target.js';
import { parseSshBundle } from '../../parse/ssh-bundle/index.js';
import { collectSnapshot } from '../collect-snapshot.js';
import { collectorInput, newBundleToken } from './collector-script.js';
import { replayHostIO } from './replay-host-io.js';
import { runSsh } from './run-ssh.js';
import { type SshFailure, describeSshFailure } from './ssh-failure.js';

export interface CollectOverSshOptions {
  /** Hosts in flight at most (default 10). */
  parallel?: number;
  /** Run the collector as root through `sudo -n` (never prompts). */
  sudo?: boolean;
  /** Per host, connection and collection together, in seconds (default 120); ssh is killed after it. */
  timeoutSeconds?: number;
  /** An ssh_config file for `ssh -F` (default: ssh's own, ~/.ssh/config). */
  sshConfig?: string;
  /** The ssh program (default "ssh"). */
  sshProgram?: string;
  /** Called when a host starts and when it ends. */
  onStart?: (target: SshTarget) => void;
  onResult?: (result: SshHostResult) => void;
}

/** One host's outcome: its snapshot, or why there is none. */
export type SshHostResult =
  | { name: string; target: SshTarget; ok: true; snapshot: Snapshot; seconds: number }
  | { name: string; target: SshTarget; ok: false; error: SshFailure; seconds: number };

export const DEFAULT_SSH_PARALLEL = 10;
export const DEFAULT_SSH_TIMEOUT_S = 120;

/** Every target's result, in the order of `targets`. */
export async function collectOverSsh(targets: readonly SshTarget[], options: CollectOverSshOptions = {}): Promise<SshHostResult[]> {
  const parallel = Math.max(1, Math.floor(options.parallel ?? DEFAULT_SSH_PARALLEL));
  const results: SshHostResult[] = new Array(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++;
      const target = targets[i]!;
      options.onStart?.(target);
      results[i] = await collectOne(target, options);
      options.onResult?.(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, targets.length) }, worker));
  return results;
}

/** One host; never rejects for a host that fails (its result says why). */
export async function collectOne(target: SshTarget, options: CollectOverSshOptions = {}): Promise<SshHostResult> {
  const started = performance.now();
  const timeoutS = options.timeoutSeconds ?? DEFAULT_SSH_TIMEOUT_S;
  const token = newBundleToken();
  const args = ['-o', 'BatchMode=yes'];
  if (options.sshConfig !== undefined) args.push('-F', options.sshConfig);
  if (target.port !== undefined) args.push('-p', String(target.port));
  const run = await runSsh({
    program: options.sshProgram ?? 'ssh',
    args,
    destination: target.user !== undefined ? `${target.user}@${target.host}` : target.host,
    remoteCommand: options.sudo ? 'sudo -n sh -s' : 'sh -s',
    input: await collectorInput(token),
    timeoutMs: timeoutS * 1000,
  });
  const seconds = (performance.now() - started) / 1000;
  const base = { name: target.name, target };
  const failed = (error: SshFailure): SshHostResult => ({ ...base, ok: false, error, seconds });
  if (run.timedOut || run.spawnError !== null) return failed(describeSshFailure({ ...run, gotOutput: run.stdout.length > 0 }, timeoutS));
  const parsed = parseSshBundle(run.stdout, token, `ssh ${target.name}`);
  if (!parsed.value) {
    // Nothing usable came back: ssh, sudo or the shell said why.
    if (run.code !== 0 || run.stdout.length === 0) return failed(describeSshFailure({ ...run, gotOutput: run.stdout.length > 0 }, timeoutS));
    const d = parsed.diagnostics[0]!;
    return failed({ kind: 'collector', message: `${formatLocation(d.location)}: ${d.message}` });
  }
  const io = replayHostIO(parsed.value);
  const snapshot = await collectSnapshot(io);
  return { ...base, ok: true, snapshot, seconds: (performance.now() - started) / 1000 };
}

/**
 * One snapshot file, read and analysed: the unit of work of the audit pool. The same
 * function runs on the main thread and in the workers, so both paths give the same analysis.
 * Problems come back as data (the caller turns them into its own errors): a worker cannot
 * throw the CLI's error classes across the thread boundary.
 *
 * @module
 */
import { readSnapshotBytes } from './early-read.js';
import type { Diagnostic } from '../model/diagnostics.js';
import { parseSnapshotBytes } from '../parse/snapshot-bytes/index.js';
import { analyzeHost, type FirewallOverrides, loadHost } from '../pipeline.js';
import type { HostAnalysis } from '../analyze/types.js';

export interface SnapshotTask {
  file: string;
  overrides: FirewallOverrides;
}

export type HostOutcome =
  | { ok: true; file: string; analysis: HostAnalysis }
  /** The file could not be read: `code` is the errno ("ENOENT", "EACCES", …). */
  | { ok: false; file: string; problem: 'unreadable'; code: string; message: string }
  /** Not a snapshot, or one whose firewall dumps cannot be used: the error diagnostics say where. */
  | { ok: false; file: string; problem: 'invalid' | 'unanalysable'; diagnostics: Diagnostic[] };

export async function analyzeSnapshotFile(task: SnapshotTask): Promise<HostOutcome> {
  const { file } = task;
  let bytes: Buffer;
  try {
    // Bytes, not text: a long firewall dump is then decoded only if the load reads it (an
    // iptables-nft host's nft copy of its xtables tables never is), as for explain.
    bytes = await readSnapshotBytes(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, file, problem: 'unreadable', code: e.code ?? 'EUNKNOWN', message: String(e.message) };
  }
  const parsed = parseSnapshotBytes(bytes, file);
  if (!parsed.value || parsed.diagnostics.some((d) => d.severity === 'error')) return { ok: false, file, problem: 'invalid', diagnostics: parsed.diagnostics };
  // One analysis follows: the chains it walks are indexed on the way (kube-proxy nft 5,000: 2,698
  // of 20,185), not all of them in the load, whose indexes survived its scavenges (issue 8).
  const host = loadHost(parsed.value, file, task.overrides, { indexAllChains: false });
  // Warnings of the snapshot itself (strings cut at load) join the host's.
  host.diagnostics.unshift(...parsed.diagnostics);
  if (host.diagnostics.some((d) => d.severity === 'error')) return { ok: false, file, problem: 'unanalysable', diagnostics: host.diagnostics };
  return { ok: true, file, analysis: analyzeHost(host) };
}

/**
 * The harden proof, for `portcullis harden` and `portcullis apply` alike:
 *
 * 1. the kernel's tools accept the files (`nft -c -f`, `iptables-restore --test`) and load
 *    them into a scratch network namespace (src/collect/preview-ruleset.ts);
 * 2. the kernel's dump of them replaces, in the snapshot, what they replace on the host
 *    (src/harden-host.ts); the engine analyses that host "as it will be";
 * 3. every listener's reachable sources equal the plan's intent, and nothing else is
 *    reachable from outside (src/analyze/harden/prove.ts);
 * 4. the current SSH session (if it is to this host) still reaches sshd.
 *
 * @example
 * ```ts
 * const proof = await proveHarden({ snapshot, files: { format: 'nft', nft: text }, plan, sshConnection });
 * if (!proof.holds) console.log(proof.failure ?? proof.differences, proof.lockout?.message);
 * ```
 *
 * @module
 */
import { type LockoutCheck, type ProofDifference, type Unfiltered, checkLockout, compareWithPlan } from './analyze/harden/prove.js';
import { type OverriddenAccept, overriddenAccepts } from './analyze/harden/overridden-accepts.js';
import type { HardenPlan } from './analyze/harden/types.js';
import type { HostAnalysis } from './analyze/types.js';
import type { HostIO } from './collect/host-io.js';
import { type RulesetFiles, type RulesetPreview, previewRuleset } from './collect/preview-ruleset.js';
import { realHostIO } from './collect/real-host-io.js';
import type { SshConnection } from './collect/ssh-session.js';
import { PORTCULLIS, hostAfter } from './harden-host.js';
import type { Diagnostic } from './model/diagnostics.js';
import type { FirewallSource, Snapshot, Socket } from './model/snapshot.js';
import { analyzeHost, loadHost } from './pipeline.js';

export type { RulesetFiles } from './collect/preview-ruleset.js';
export type { SshConnection } from './collect/ssh-session.js';
export type { LockoutCheck, ProofDifference } from './analyze/harden/prove.js';
export type { OverriddenAccept } from './analyze/harden/overridden-accepts.js';
export { findSshConnection } from './collect/ssh-session.js';

export interface HardenProofInput {
  /** The host as it is now (its other tables and backends stay). */
  snapshot: Snapshot;
  /** Label for messages, e.g. the snapshot's file name. */
  file?: string;
  /** The generated files' text. */
  files: RulesetFiles;
  plan: HardenPlan;
  /** The current SSH session (see findSshConnection); null or absent: none to protect. */
  sshConnection?: SshConnection | null;
  /** Runs the kernel tools (default: this host). */
  exec?: HostIO['exec'];
}

export interface HardenProof {
  /** The files load, every listener's sources equal the intent, and the session is not locked out. */
  holds: boolean;
  /** Set when the files did not load: which step, which command, the tool's words. */
  failure?: { stage: string; command: string; message: string };
  differences: ProofDifference[];
  /** Null when there is no SSH session to this host to protect. */
  lockout: LockoutCheck | null;
  /** The engine's analysis of the host as it will be (null when the files did not load). */
  after: HostAnalysis | null;
  /** Parse and engine diagnostics of the host as it will be. */
  diagnostics: Diagnostic[];
  /** Accepts left in other backends that the new rules override (audit: backend-conflict). */
  overridden: OverriddenAccept[];
}

/** The host with empty rulesets and a wildcard probe socket: what routing alone lets reach it. */
function unfiltered(snapshot: Snapshot): Unfiltered {
  const sockets = snapshot.sockets ?? [];
  let probePort = 65535;
  while (sockets.some((s) => s.proto === 'tcp' && s.port === probePort)) probePort--;
  const probe: Socket = { proto: 'tcp', family: 'ipv6', address: '::', port: probePort, v6only: false, device: null, uid: 0, inode: 0, process: null };
  const empty = (kind: 'iptables-save' | 'ip6tables-save'): FirewallSource => ({ kind, backend: 'nft', command: [kind], status: 'ok', content: '' });
  const open: Snapshot = { ...snapshot, sockets: [...sockets, probe], firewall: [empty('iptables-save'), empty('ip6tables-save')] };
  return { analysis: analyzeHost(loadHost(open, 'unfiltered')), probePort };
}

/** Run the whole proof. Never throws on bad files: `holds` is false and `failure` says why. */
export async function proveHarden(input: HardenProofInput): Promise<HardenProof> {
  const exec = input.exec ?? realHostIO().exec;
  const preview: RulesetPreview = await previewRuleset(input.files, exec);
  if (!preview.ok) return { holds: false, failure: { stage: preview.stage, command: preview.command, message: preview.message }, differences: [], lockout: null, after: null, diagnostics: [], overridden: [] };
  const dumps: { nftJson?: string; iptablesSave?: string; ip6tablesSave?: string } = {};
  if (preview.nftJson !== undefined) dumps.nftJson = preview.nftJson;
  if (preview.iptablesSave !== undefined) dumps.iptablesSave = preview.iptablesSave;
  if (preview.ip6tablesSave !== undefined) dumps.ip6tablesSave = preview.ip6tablesSave;
  const loaded = loadHost(hostAfter(input.snapshot, dumps), `${input.file ?? 'this host'} (after harden)`);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    return { holds: false, failure: { stage: 'analyse', command: 'portcullis engine', message: errors.map((d) => d.message).join('; ') }, differences: [], lockout: null, after: null, diagnostics: loaded.diagnostics, overridden: [] };
  }
  const after = analyzeHost(loaded);
  const differences = compareWithPlan(input.plan, after, unfiltered(input.snapshot));
  const session = input.sshConnection ?? null;
  const hostAddresses = (input.snapshot.interfaces ?? []).flatMap((i) => i.addresses.map((a) => a.address));
  const lockout = session ? checkLockout(input.plan, after, session, hostAddresses) : null;
  const overridden = overriddenAccepts(after, (r) => (input.files.format === 'nft' ? r.backend === 'nftables' && r.table === `${PORTCULLIS.family} ${PORTCULLIS.name}` : r.backend !== 'nftables' && r.table === 'filter'));
  return { holds: differences.length === 0 && (lockout === null || lockout.reachable), differences, lockout, after, diagnostics: after.diagnostics, overridden };
}
